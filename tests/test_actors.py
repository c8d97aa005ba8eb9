"""The list of diverse actors: duplicates, merging, filters, counts, the ツドレバ frame,
matching with regional issues, and exports that keep personal data out unless asked."""

from __future__ import annotations

import io
import re
from datetime import date

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from kit import datasets
from kit.export import to_csv, to_xlsx
from kit.io import load
from kit.paths import NOTEBOOKS
from kit.steps.actors import domain as act
from kit.steps.cases.issues import RegionalIssue, sample_issues

AREAS = pd.DataFrame({"地区コード": ["A01", "A02", "A03", "A04", "A05"],
                      "地区名": ["中央", "駅東", "桜台", "川北", "奥沢"]})
NAMES = dict(zip(AREAS["地区コード"], AREAS["地区名"]))


def frame(*rows: dict) -> pd.DataFrame:
    return act.normalise(pd.DataFrame(list(rows)))


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return act.normalise(datasets.sample("actors"))


# ------------------------------------------------------------------ duplicates

def test_names_differing_only_in_legal_form_width_or_spaces_are_duplicates():
    actors = frame(
        {"主体ID": "A1", "名称": "株式会社みどりストア"},
        {"主体ID": "A2", "名称": "(株)みどり ストア"},
        {"主体ID": "A3", "名称": "㈱ﾐﾄﾞﾘ商店"},
        {"主体ID": "A4", "名称": "ミドリ商店"},
        {"主体ID": "A5", "名称": "みどり書店"},
    )
    pairs = act.find_duplicates(actors)
    assert set(zip(pairs["主体ID_1"], pairs["主体ID_2"])) == {("A1", "A2"), ("A3", "A4")}
    assert set(pairs["理由"]) == {"名称が同じ"}


def test_the_same_phone_written_differently_is_a_duplicate_but_short_numbers_are_not():
    actors = frame(
        {"主体ID": "A1", "名称": "奥沢よろず商店", "電話": "04-0000-5573"},
        {"主体ID": "A2", "名称": "竹内商店", "電話": "(04)0000-5573"},
        {"主体ID": "A3", "名称": "山の会", "電話": "0"},
        {"主体ID": "A4", "名称": "川の会", "電話": "0"},
    )
    pairs = act.find_duplicates(actors)
    assert pairs[["主体ID_1", "主体ID_2", "理由"]].values.tolist() == [["A1", "A2", "電話番号が同じ"]]


def test_a_pair_declared_different_is_not_offered_again():
    actors = frame({"主体ID": "A1", "名称": "みどり会"}, {"主体ID": "A2", "名称": "みどり会"})
    assert len(act.find_duplicates(actors)) == 1
    assert act.find_duplicates(actors, dismissed=[["A2", "A1"]]).empty


def test_reading_the_practice_file_into_the_sample_list_finds_its_two_duplicates(sample, tmp_path):
    path = tmp_path / "練習.csv"
    path.write_bytes(to_csv(act.practice_import(sample), "cp932").data)
    result = load("actors", path, known_areas=AREAS["地区コード"])
    assert result.ok, result.report()
    merged, renamed = act.add_imported(sample, result.data)
    assert len(merged) == len(sample) + 4 and renamed == {}
    pairs = act.find_duplicates(merged)
    assert pairs[["主体ID_1", "主体ID_2", "理由"]].values.tolist() == [
        ["S001", "P01", "名称と電話番号が同じ"], ["S003", "P02", "電話番号が同じ"]]
    once = act.merge_pair(merged, "S001", "P01")
    assert "健康" in once.set_index("主体ID").at["S001", "対応できる生活課題"]


def test_importing_ids_already_in_the_list_gives_them_new_ids_instead_of_overwriting(sample):
    again, renamed = act.add_imported(sample, sample.head(3))
    assert len(again) == len(sample) + 3
    assert renamed == {"S001": "S082", "S002": "S083", "S003": "S084"}
    assert again["主体ID"].is_unique
    assert again.set_index("主体ID").at["S001", "名称"] == sample.at[0, "名称"]  # the original is untouched
    assert len(act.find_duplicates(again)) == 3


# ------------------------------------------------------------------ merge

LEFT = {"主体ID": "A1", "名称": "みどりストア", "電話": "", "連携状況": "連携中",
        "対応できる生活課題": ("買物", "食事"), "困っていること": "人手が足りない"}
RIGHT = {"主体ID": "A2", "名称": "(株)みどりストア", "電話": "03-1234-5678", "連携状況": "協議中",
         "対応できる生活課題": ("買物", "健康"), "困っていること": "駐車場が狭い"}


def test_merge_keeps_what_is_filled_joins_lists_and_keeps_the_left_id_by_default():
    merged = act.merge_records(LEFT, RIGHT)
    assert merged["主体ID"] == "A1"
    assert merged["名称"] == "みどりストア"
    assert merged["電話"] == "03-1234-5678"           # the left was empty
    assert merged["対応できる生活課題"] == ("買物", "食事", "健康")
    assert merged["連携状況"] == "連携中"


def test_merge_follows_the_users_choice_field_by_field():
    merged = act.merge_records(LEFT, RIGHT, {"連携状況": "right", "対応できる生活課題": "left",
                                             "困っていること": "both"})
    assert merged["連携状況"] == "協議中"
    assert merged["対応できる生活課題"] == ("買物", "食事")
    assert merged["困っていること"] == "人手が足りない\n駐車場が狭い"
    with pytest.raises(ValueError, match="連携状況"):
        act.merge_records(LEFT, RIGHT, {"連携状況": "both"})


def test_merging_a_pair_leaves_one_record_with_the_chosen_values():
    actors = frame(LEFT, RIGHT, {"主体ID": "A3", "名称": "別の会"})
    merged = act.merge_pair(actors, "A1", "A2", {"連携状況": "right"})
    assert merged["主体ID"].tolist() == ["A1", "A3"]
    kept = merged.iloc[0]
    assert kept["連携状況"] == "協議中" and kept["電話"] == "03-1234-5678"
    assert act.find_duplicates(merged).empty


# ------------------------------------------------------------------ records

def test_a_new_record_gets_the_next_id_in_the_lists_own_style_and_the_day(sample):
    updated, actor_id = act.upsert(sample, {"名称": "川北こども食堂の会", "活動地区": ("A04",)}, date(2026, 1, 16))
    assert actor_id == "S082"
    row = updated.set_index("主体ID").loc["S082"]
    assert row["名称"] == "川北こども食堂の会" and row["更新日"] == pd.Timestamp(2026, 1, 16)
    with_note = updated.assign(備考=["元の一覧の備考"] * len(updated))     # a column from the user's file
    edited = {column: row[column] for column in act.COLUMNS if column != "主体ID"}
    again, same_id = act.upsert(with_note, {**edited, "主体ID": "S082", "名称": "川北子ども食堂"},
                                date(2026, 1, 17))
    assert same_id == "S082" and len(again) == len(updated)
    kept = again.set_index("主体ID").loc["S082"]
    assert kept["名称"] == "川北子ども食堂" and kept["備考"] == "元の一覧の備考"


def test_a_record_with_problems_is_explained_in_japanese():
    problems = act.validate({"名称": " ", "メール": "info@", "電話": "1234", "活動地区": ("A09",),
                             "連携状況": "検討中", "緯度": 139.0}, AREAS["地区コード"])
    text = "\n".join(problems)
    for expected in ("名称を入力", "メール「info@」", "電話「1234」", "A09", "検討中", "緯度"):
        assert expected in text
    assert act.validate({"名称": "みどり会", "電話": "0120-123-456", "活動地区": ("全域",)}, ["A01"]) == []


# ------------------------------------------------------------------ filters and counts

def test_filters_combine_and_an_actor_in_the_whole_town_is_in_every_area(sample):
    in_okusawa = act.filter_actors(sample, areas=["A05"])
    whole_town = sample[sample["活動地区"].map(lambda cell: "全域" in cell)]
    assert set(whole_town["主体ID"]) <= set(in_okusawa["主体ID"])
    assert all("A05" in cell or "全域" in cell for cell in in_okusawa["活動地区"])
    companies = act.filter_actors(sample, types=["民間企業"], areas=["A05"], statuses=["連携中"])
    assert 0 < len(companies) < len(in_okusawa)
    assert set(companies["主体種別"]) == {"民間企業"} and set(companies["連携状況"]) == {"連携中"}
    shopping = act.filter_actors(sample, categories=["買物"])
    assert all("買物" in cell for cell in shopping["カテゴリ"])


def test_text_search_ignores_width_and_case():
    actors = frame({"主体ID": "A1", "名称": "NPO法人ささえあい", "業種": "医療,福祉"},
                   {"主体ID": "A2", "名称": "みどり会", "本業・サービス内容": "ＰＣ教室"})
    assert act.filter_actors(actors, query="ｎｐｏ")["主体ID"].tolist() == ["A1"]
    assert act.filter_actors(actors, query="pc")["主体ID"].tolist() == ["A2"]


def test_counts_by_category_and_area_spread_the_whole_town_and_total_each_actor_once():
    actors = frame(
        {"主体ID": "A1", "名称": "生協", "カテゴリ": ("買物", "宅配・デリバリー"), "活動地区": ("全域",)},
        {"主体ID": "A2", "名称": "商店", "カテゴリ": ("買物",), "活動地区": ("A05",)},
        {"主体ID": "A3", "名称": "未分類の会", "カテゴリ": (), "活動地区": ("A01",)},
    )
    counts = act.category_area_counts(actors, AREAS)
    assert counts.loc["買物"].to_dict() == {"中央": 1, "駅東": 1, "桜台": 1, "川北": 1, "奥沢": 2, "計": 2}
    assert counts.loc["宅配・デリバリー", "奥沢"] == 1 and counts.loc["宅配・デリバリー", "計"] == 1
    assert counts.loc["送迎サービス"].sum() == 0
    assert list(counts.index) == list(act.CHOICES["カテゴリ"])


# ------------------------------------------------------------------ ツドレバ

def test_the_users_placement_wins_and_a_missing_one_is_inferred_and_marked():
    actors = frame(
        {"主体ID": "A1", "名称": "介護タクシー", "カテゴリ": ("送迎サービス",),
         "ツドレバ取組区分": ("生活を支える選択肢を増やす",), "対応できる状態像": ("フレイル", "要介護")},
        {"主体ID": "A2", "名称": "スーパー", "主体種別": "民間企業", "カテゴリ": ("買物",)},
        {"主体ID": "A3", "名称": "シルバー人材", "対応できる生活課題": ("就労",)},
    )
    grid = act.tsudoreba_grid(act.tsudoreba_placement(actors))
    stores, choices, roles = grid.index
    assert grid.at[choices, "要介護"] == [("介護タクシー", False)]
    assert grid.at[choices, "健康"] == []
    assert grid.at[stores, "健康"] == [("スーパー", True)] and grid.at[stores, "フレイル"] == []
    assert grid.at[roles, "プレフレイル"] == [("シルバー人材", True)]


# ------------------------------------------------------------------ matching

ACTORS = frame(
    {"主体ID": "M1", "名称": "生協", "対応できる生活課題": ("買物",), "活動地区": ("全域",), "連携状況": "連携中"},
    {"主体ID": "M2", "名称": "桜台ストア", "対応できる生活課題": ("買物",), "活動地区": ("A03",), "連携状況": "未接触"},
    {"主体ID": "M3", "名称": "介護タクシー", "対応できる生活課題": ("買物", "移動"), "活動地区": ("A03", "A01"),
     "連携状況": "未接触"},
    {"主体ID": "M4", "名称": "奥沢商店", "対応できる生活課題": ("買物", "移動"), "活動地区": ("A05",)},
    {"主体ID": "M5", "名称": "地区不明の会", "対応できる生活課題": ("買物",), "活動地区": (), "連携状況": "連携中"},
    {"主体ID": "M6", "名称": "桜台の会", "対応できる生活課題": ("買物",), "活動地区": ("A03",), "連携状況": "協議中"},
)
SHOPPING = RegionalIssue("R1", "桜台の坂の上で買物に行けない", ("買物", "移動"), ("A03",))
FARMLAND = RegionalIssue("R2", "耕作放棄地が増えている", ("農地",), ())
CLEANING = RegionalIssue("R3", "ごみ出しと買物に困る", ("掃除", "買物"), ("A05",))


def test_candidates_are_ranked_by_issues_covered_then_area_then_partnership():
    matches = act.match_issues([SHOPPING], ACTORS, NAMES)
    assert matches["主体ID"].tolist() == ["M3", "M6", "M2", "M1", "M5"]   # M4 works elsewhere
    assert matches["順位"].tolist() == [1, 2, 3, 4, 5]
    first = matches.iloc[0]["理由"]
    assert "「買物」「移動」" in first and "2つのうち2つ" in first and "桜台(A03)" in first
    assert "市内全域" in matches.set_index("主体ID").at["M1", "理由"]
    assert "要確認" in matches.set_index("主体ID").at["M5", "理由"]


def test_for_a_town_wide_issue_actors_in_the_whole_town_come_first():
    issue = RegionalIssue("R4", "一人で買物に行けない", ("買物",), ())
    matches = act.match_issues([issue], ACTORS, NAMES)
    assert matches.iloc[0]["主体ID"] == "M1"
    assert len(matches) == len(ACTORS)


def test_issues_no_actor_covers_are_gaps_and_partial_coverage_is_shown():
    issues = [SHOPPING, FARMLAND, CLEANING]
    gaps = act.issue_gaps(issues, act.match_issues(issues, ACTORS, NAMES)).set_index("課題ID")
    assert "R1" not in gaps.index
    assert gaps.at["R2", "状態"] == "空白"
    assert gaps.at["R3", "状態"] == "一部が空白" and gaps.at["R3", "対応する主体がいない生活課題"] == ("掃除",)


def test_the_sample_list_answers_a_sakuradai_shopping_issue_with_local_actors(sample):
    matches = act.match_issues([SHOPPING], sample, NAMES)
    top = matches.head(5)["名称"].tolist()
    assert "みどり野ストア桜台店" in matches["名称"].tolist()
    assert all(reason.startswith("生活課題") for reason in matches["理由"])
    assert any("桜台" in name or "坂道" in name for name in top)


# ------------------------------------------------------------------ exports and personal data

def _contact_strings(actors: pd.DataFrame) -> set[str]:
    """Phones, e-mails and names (as written, without the space, and family names
    of two characters or more; one-character ones such as 森 occur in ordinary words)."""
    values = set()
    for column in ("電話", "メール"):
        values |= {act.text(v) for v in actors[column] if act.text(v)}
    for name in (act.text(v) for v in actors["担当者"] if act.text(v)):
        values |= {name, name.replace(" ", "")} | ({name.split()[0]} if len(name.split()[0]) >= 2 else set())
    return values


def _exported_text(table: pd.DataFrame) -> str:
    book = load_workbook(io.BytesIO(to_xlsx({"t": table})))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    return "\n".join(cells) + "\n" + to_csv(table, "utf-8-sig").data.decode("utf-8-sig")


def test_the_exported_list_holds_no_phone_email_or_person_name_without_the_tick(sample):
    noted = sample.copy()
    noted.loc[0, "できること・やりたいこと"] = f"詳しくは{noted.at[0, '担当者']}さん（{noted.at[0, '電話']}）まで"
    table, hidden = act.export_table(noted)
    assert not set(act.CONTACT_COLUMNS + act.LOCATION_COLUMNS) & set(table.columns)
    text = _exported_text(table)
    leaked = [value for value in _contact_strings(noted) if value in text]
    assert leaked == []
    assert hidden.get("氏名", 0) >= 1 and hidden.get("電話番号", 0) >= 1
    assert len(table) == len(sample)


def test_with_the_tick_the_contacts_are_exported_as_entered(sample):
    table, hidden = act.export_table(sample, include_contacts=True)
    assert hidden == {}
    text = _exported_text(table)
    assert sample.at[0, "電話"] in text and sample.at[0, "担当者"] in text


def test_a_users_own_extra_columns_never_leave_the_kit(sample):
    extra = sample.assign(代表者の自宅="みどり野市中央1-2-3 山田方")
    table, _ = act.export_table(extra, include_contacts=True)
    assert "代表者の自宅" not in table.columns


def test_the_matching_list_carries_the_message_and_contacts_only_when_asked(sample):
    matches = act.match_issues([SHOPPING], sample, NAMES)
    table, _ = act.matching_list([SHOPPING], matches, sample, offers={}, top=3, area_names=NAMES)
    assert len(table) == 3 and table["順位"].tolist() == [1, 2, 3]
    assert table["一緒に解決したい課題"].str.contains("桜台の坂の上で買物に行けない").all()
    assert (table["私たちが提供できること"] == act.DEFAULT_OFFER).all()
    assert not set(act.CONTACT_COLUMNS) & set(table.columns)
    leaked = [value for value in _contact_strings(sample) if value in _exported_text(table)]
    assert leaked == []
    offered, _ = act.matching_list([SHOPPING], matches, sample, offers={"R1": "集会所を使えます"}, top=3,
                                   include_contacts=True)
    assert (offered["私たちが提供できること"] == "集会所を使えます").all()
    phones = sample.set_index("主体ID").loc[matches["主体ID"].head(3), "電話"].map(act.text).tolist()
    assert offered["電話"].tolist() == phones and any(phones)


# ------------------------------------------------------------------ the notebook's model answers

def _model_answers() -> str:
    notebook = nbformat.read(NOTEBOOKS / "03_actors.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_the_model_answers_still_match_the_sample_town(sample):
    answers = _model_answers()
    in_okusawa = act.filter_actors(sample, areas=["A05"])
    said = int(re.search(r"奥沢で活動する主体（[^）]*）は(\d+)件", answers).group(1))
    assert said == len(in_okusawa)
    companies = int(re.search(r"民間企業が(\d+)件で最も多く", answers).group(1))
    assert in_okusawa["主体種別"].value_counts().idxmax() == "民間企業"
    assert companies == (in_okusawa["主体種別"] == "民間企業").sum()
    grid = act.tsudoreba_grid(act.tsudoreba_placement(in_okusawa))
    assert all(len(cell) <= 2 for cell in grid["要介護"])          # 「要介護」の欄がほぼ空いています（1～2件）
    issue = next(i for i in sample_issues() if i.id == "K02")
    assert issue.statement.rstrip("。") in answers
    candidates = act.match_issues([issue], sample)["名称"].tolist()
    for name in ("みどり野ストア桜台店", "合同会社ひまわり介護タクシー", "坂道ささえ隊"):
        assert name in answers and any(c.startswith(name) for c in candidates)
