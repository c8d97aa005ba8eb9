"""Personal data in case notes is hidden before anything is stored, and the care content stays."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kit.masking import PLACEHOLDERS, mask_table, mask_text

FIXTURES = Path(__file__).parent / "fixtures" / "masking"


def fixture(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def covered(result, kind, text, original):
    start = text.find(original)
    while start != -1:
        if any(m.kind == kind and m.start <= start and m.end >= start + len(original)
               for m in result.found):
            return True
        start = text.find(original, start + 1)
    return False


@pytest.mark.parametrize("name", ["dev", "heldout"])
def test_recall_on_the_written_test_texts(name):
    items = fixture(name)
    expected = [(item["text"], kind, original) for item in items for kind, original in item["expected"]]
    found = [row for row in expected if covered(mask_text(row[0]), row[1], row[0], row[2])]
    missed = sorted(set(expected) - set(found))
    assert len(found) / len(expected) >= 0.95, missed


@pytest.mark.parametrize("name", ["dev", "heldout", "hard"])
def test_care_content_survives_masking(name):
    for item in fixture(name):
        masked = mask_text(item["text"]).text
        for word in item["keep"]:
            assert word in masked, (item["text"], masked)


def test_sentences_without_personal_data_are_left_as_written():
    plain = [item["text"] for name in ("dev", "heldout") for item in fixture(name) if not item["expected"]]
    assert len(plain) >= 10
    for text in plain:
        assert mask_text(text).text == text


def test_fixture_sets_are_large_and_varied():
    items = fixture("dev") + fixture("heldout") + fixture("hard")
    assert len(items) >= 40
    kinds = {kind for item in items for kind, _ in item["expected"]}
    assert kinds == set(PLACEHOLDERS)


def test_family_word_stays_and_the_name_goes():
    assert mask_text("長男の太郎が週末に来る。").text == "長男の〇〇が週末に来る。"


@pytest.mark.parametrize("text, hidden", [
    ("田中さん", "田中"), ("佐藤様", "佐藤"), ("高橋氏", "高橋"), ("小林くん", "小林"),
    ("孫のゆいちゃん", "ゆい"), ("よし子さん", "よし子"), ("山田花子は", "山田花子"),
])
def test_names_with_honorifics_and_full_names(text, hidden):
    result = mask_text(text)
    assert hidden not in result.text
    assert "〇〇" in result.text


@pytest.mark.parametrize("text", ["ヘルパーさんが来る", "お隣さんと話す", "民生委員さんに相談",
                                  "皆さんと体操", "様子を見る", "氏名欄", "おばあちゃん仲間",
                                  "川北の公民館", "長男の家に泊まる"])
def test_roles_and_ordinary_words_are_not_names(text):
    assert mask_text(text).text == text


@pytest.mark.parametrize("phone", ["090-1234-5678", "０９０－１２３４－５６７８", "03(3456)7890",
                                   "09012345678", "0120-123-456"])
def test_phone_numbers_in_both_widths(phone):
    result = mask_text(f"連絡先は{phone}です")
    assert result.text == "連絡先は〈電話番号〉です"
    assert [m.original for m in result.found] == [phone]


@pytest.mark.parametrize("address, hidden", [
    ("桜台3丁目12番5号", "3丁目12番5号"), ("桜台3-12-5", "3-12-5"), ("奥沢４－５－６", "４－５－６"),
    ("中央二丁目5番地", "二丁目5番地"),
])
def test_street_addresses_keep_the_area_name(address, hidden):
    result = mask_text(f"{address}に住む")
    assert hidden not in result.text
    assert result.text == f"{address.replace(hidden, '〈住所〉')}に住む"


def test_birth_dates_in_both_calendars_but_not_other_dates():
    result = mask_text("昭和15年3月2日生まれ。1940年3月2日生の兄がいる。2025年4月1日に退院。")
    assert [m.kind for m in result.found] == ["生年月日", "生年月日"]
    assert "2025年4月1日に退院" in result.text


def test_email_in_both_widths():
    result = mask_text("a.b@example.jp と ｃ＠ｅｘａｍｐｌｅ．ｃｏｍ")
    assert result.text == "〈メール〉 と 〈メール〉"


def test_found_items_point_at_the_original_text():
    text = "妻の和子(090-1111-2222)と二人暮らし、桜台1-2-3。"
    result = mask_text(text)
    assert {m.kind for m in result.found} == {"氏名", "電話番号", "住所"}
    for item in result.found:
        assert text[item.start:item.end] == item.original
    assert result.counts() == {"電話番号": 1, "住所": 1, "氏名": 1}


def test_mask_table_masks_text_columns_and_reports_excel_rows():
    table = pd.DataFrame({"事例ID": ["C1", "C2"], "困りごと": ["田中さんが心配", None],
                          "経過": ["特になし", "長男の太郎 090-1234-5678"]})
    masked, report = mask_table(table, ["困りごと", "経過"], id_column="事例ID")
    assert masked.loc[0, "困りごと"] == "〇〇さんが心配"
    assert pd.isna(masked.loc[1, "困りごと"])
    assert "太郎" not in masked.loc[1, "経過"] and "090" not in masked.loc[1, "経過"]
    assert table.loc[0, "困りごと"] == "田中さんが心配"  # the caller's table is untouched
    assert sorted(report["行"]) == [2, 3, 3]
    assert set(report[report["行"] == 3]["ID"]) == {"C2"}


def run_mask(data: bytes):
    return subprocess.run([sys.executable, "-m", "kit", "mask"], input=data, capture_output=True)


def test_cli_masks_stdin_to_stdout():
    result = run_mask("長男の太郎(090-1234-5678)が来る。\n桜台3-12-5に住む。\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode() == "長男の〇〇(〈電話番号〉)が来る。\n桜台〈住所〉に住む。\n"
    summary = result.stderr.decode()
    assert "氏名 1件" in summary and "電話番号 1件" in summary
    assert "太郎" not in summary and "090" not in summary  # the summary never repeats the data


def test_cli_reads_shift_jis_and_says_when_nothing_was_found():
    result = run_mask("坂道がつらい".encode("cp932"))
    assert result.returncode == 0
    assert result.stdout.decode() == "坂道がつらい"
    assert "見つかりませんでした" in result.stderr.decode()


def test_cli_help_lists_mask():
    result = subprocess.run([sys.executable, "-m", "kit", "--help"], capture_output=True, text=True)
    assert "mask" in result.stdout


def test_the_de_identified_sample_town_text_comes_out_unchanged():
    from kit import datasets
    from kit.steps.cases.domain import MASKED_COLUMNS

    cases = datasets.sample("cases")
    actors = datasets.sample("actors")
    free_text = ["本業・サービス内容", "価値を感じていること", "困っていること", "できること・やりたいこと"]
    _, case_report = mask_table(cases, MASKED_COLUMNS, id_column="事例ID")
    _, actor_report = mask_table(actors, free_text, id_column="主体ID")
    assert case_report.empty, case_report.to_string()
    assert actor_report.empty, actor_report.to_string()


# --- names nothing marks, and numbers that identify a person --------------------------

@pytest.mark.parametrize("text, hidden, kept", [
    ("田中花子さんは独居。その後、田中が買い物に行けなくなり、花子さんは配食を頼んだ。",
     ["田中", "花子"], ["独居", "買い物", "配食"]),
    ("佐々木と森が来た。岡田は断った。", ["佐々木", "岡田"], ["来た", "断った"]),
    ("〇〇 健太が週末に来る。", ["健太"], ["週末に来る"]),
    ("長男の連絡先は hanako yamada ではなく Yamada Taro 宛て。", ["hanako yamada", "Yamada Taro"],
     ["長男の連絡先は"]),
    ("グエン・ティ・ランさんとマリアが通訳した。", ["グエン", "マリア"], ["通訳した"]),
])
def test_names_that_no_honorific_marks(text, hidden, kept):
    masked = mask_text(text).text
    for word in hidden:
        assert word not in masked, masked
    for word in kept:
        assert word in masked, masked


@pytest.mark.parametrize("text, kind, number", [
    ("被保険者番号：0012345678", "被保険者番号", "0012345678"),
    ("保険証の番号は1234567890です", "被保険者番号", "1234567890"),
    ("マイナンバー123456789012を控えた", "マイナンバー", "123456789012"),
    ("個人番号 1234-5678-9012", "マイナンバー", "1234-5678-9012"),
])
def test_insurance_and_my_numbers(text, kind, number):
    result = mask_text(text)
    assert [(m.kind, m.original) for m in result.found] == [(kind, number)]


@pytest.mark.parametrize("text", [
    "年金は1234567890円の積立だった", "人口123456789012人", "2025年4月1日に退院", "電話0312345678に連絡",
])
def test_amounts_dates_and_phones_are_no_identity_numbers(text):
    kinds = {m.kind for m in mask_text(text).found}
    assert not kinds & {"被保険者番号", "マイナンバー"}


def test_letters_that_already_stand_for_people_stay():
    text = "奥沢で一人暮らしのBさんは、Ａさんの紹介でサロンに通う。"
    assert mask_text(text).text == text


def test_organisations_and_places_of_the_actor_list_stay():
    text = ("株式会社みどり食品と社会福祉協議会、桜台地区社協、みどり野市役所、トヨタ自動車、"
            "セブン-イレブン桜台店が、川北の公民館で移動販売を相談した。")
    assert mask_text(text).text == text


def test_every_care_word_of_the_vocabulary_survives():
    """Care words are never taken for names, whatever sentence they stand in."""
    from kit.vocab import LIFE_ISSUE_KEYWORDS, PERSON_ROLE_TERMS

    words = sorted({w for ws in LIFE_ISSUE_KEYWORDS.values() for w in ws} | set(PERSON_ROLE_TERMS)
                   | {"独居", "デイサービス", "ケアマネ", "民生委員", "声かけ"})
    words = [w for w in words if len(w) >= 2]
    texts = [f"{word}について、本人は{word}が大事だと話す。" for word in words]
    masked, _ = mask_table(pd.DataFrame({"text": texts}), ["text"])
    lost = [w for w, m in zip(words, masked["text"]) if m.count(w) < 2]
    assert lost == []
