"""「明日から自分のまちで」: the guides cover every kind the kit reads, each template
is read back by the kit as it is, the memo says what the user typed, and the
checklist keeps its ticks."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from kit import datasets, vocab
from kit.io import load, schema
from kit.own_town import domain as ot
from kit.own_town.model import checklist, tick
from kit.paths import NOTEBOOKS, SAMPLE_TOWN
from kit.store import Workspace, open_store


@pytest.fixture(autouse=True)
def fresh_templates():
    """Templates are made once per process; tests that change the schema or the
    sample town need them made again."""
    ot.template_xlsx.cache_clear()
    yield
    ot.template_xlsx.cache_clear()


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "store.sqlite"))


def sheets(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def plain(row: pd.Series) -> dict:
    """A row's values, missing ones as None, for comparing two reads of a file."""
    return {column: None if not isinstance(value, tuple) and pd.isna(value) else value
            for column, value in row.items()}


def test_every_kind_the_kit_reads_has_a_complete_guide():
    assert set(ot.KIND_GUIDES) == set(schema.SPECS)
    for kind, guide in ot.KIND_GUIDES.items():
        for name in ("label", "what", "holder", "ask", "why", "tip"):
            assert getattr(guide, name).strip(), (kind, name)
        assert guide.pages and all((NOTEBOOKS / page).is_file() for page in guide.pages), kind


def test_the_guides_name_the_offices_that_hold_each_kind():
    holders = {kind: ot.KIND_GUIDES[kind].holder for kind in ot.KIND_GUIDES}
    assert "市民課" in holders["population"] and "介護保険" in holders["certification"]
    assert "委託先" in holders["needs_survey"] and "社会福祉協議会" in holders["resources"]
    assert "地域包括支援センター" in holders["cases"] and "商工会" in holders["actors"]
    # What to ask for says the unit, the breakdown and that no one's name is wanted.
    assert all(word in ot.KIND_GUIDES["population"].ask for word in ("圏域", "町丁字", "5歳階級", "基準日"))
    assert "氏名" in ot.KIND_GUIDES["needs_survey"].ask and "氏名" in ot.KIND_GUIDES["cases"].ask


@pytest.mark.parametrize("kind", list(ot.KIND_GUIDES))
def test_each_template_is_read_back_by_the_kit_with_its_example_row(kind):
    data = ot.template_xlsx(kind)
    areas = datasets.sample("areas")["地区コード"]
    result = load(kind, data, filename=ot.template_filename(kind), known_areas=areas)
    assert result.ok, result.report()
    assert result.errors == [] and result.warnings == [] and len(result.data) == 1
    if (SAMPLE_TOWN / f"{kind}.csv").is_file():
        expected = datasets.sample(kind).iloc[0]
        columns = [c for c in schema.SPECS[kind].names if c not in ("担当者", "電話", "メール")]
        assert plain(result.data.iloc[0][columns]) == plain(expected[columns])
    else:
        assert result.data.iloc[0]["地区コード"] == ot.KIND_GUIDES[kind].example["地区コード"]


def test_template_headers_and_column_sheet_follow_the_schema():
    book = sheets(ot.template_xlsx("cases"))
    data, columns, about = book.values()
    assert list(data[0]) == list(schema.SPECS["cases"].names)
    explained = {row[0]: row for row in columns[1:]}
    assert set(explained) == set(schema.SPECS["cases"].names)
    assert explained["世帯"][3] == "、".join(vocab.HOUSEHOLDS)
    assert explained["事例ID"][1] == "必須（空欄不可）" and explained["経過"][1] == "任意"
    assert explained["年齢階級"][3].startswith("0-4、5-9") and "100+" in explained["年齢階級"][3]
    assert ot.KIND_GUIDES["cases"].holder in [row[1] for row in about]


def test_a_column_added_to_the_schema_appears_in_the_template(monkeypatch):
    spec = schema.SPECS["areas"]
    extra = schema.ColumnSpec("面積", schema.NUMBER)
    monkeypatch.setitem(schema.SPECS, "areas", dataclasses.replace(spec, columns=(*spec.columns, extra)))
    data, columns, _about = sheets(ot.template_xlsx("areas")).values()
    assert data[0][-1] == "面積"
    assert ("面積", "任意", "数値") == columns[-1][:3]


def test_the_needs_survey_template_asks_for_the_raw_answers_and_explains_the_codes():
    data, columns, _about = sheets(ot.template_xlsx("needs_survey")).values()
    assert "問2(1)階段昇り" in data[0] and "運動器機能低下" in data[0]
    row = next(row for row in columns if row[0] == "問2(1)階段昇り")
    assert row[3] == "1=できるし、している、2=できるけどしていない、3=できない"


def test_the_actors_template_carries_no_contact_data():
    data, columns, _about = sheets(ot.template_xlsx("actors")).values()
    example = dict(zip(data[0], data[1]))
    assert example["名称"] == datasets.sample("actors").iloc[0]["名称"]
    assert example["担当者"] is None and example["電話"] is None and example["メール"] is None
    assert "個人情報" in next(row for row in columns if row[0] == "電話")[4]


def test_wareki_writes_dates_as_official_letters_do():
    assert ot.wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert ot.wareki(date(2025, 12, 19)) == "令和7年12月19日"


MEMO = ot.Memo(organisation="ひかり町 地域包括ケア推進室", addressee="住民課 住民記録係",
               kinds=("areas", "population"), deadline=date(2025, 12, 19), name="山田 一郎",
               contact="内線 2345", issued=date(2025, 12, 1))


def docx_text(data: bytes) -> list[str]:
    from docx import Document

    return [paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs]


def test_the_memo_says_what_was_typed_and_asks_for_the_ticked_kinds_only():
    text = "\n".join(docx_text(ot.memo_docx(MEMO)))
    for typed in ("ひかり町 地域包括ケア推進室", "住民課 住民記録係　御中", "山田 一郎", "内線 2345",
                  "令和7年12月1日", "令和7年12月19日までに"):
        assert typed in text
    for kind in MEMO.kinds:
        assert ot.KIND_GUIDES[kind].label in text and ot.KIND_GUIDES[kind].ask in text
    for kind in set(ot.KIND_GUIDES) - set(MEMO.kinds):
        assert ot.KIND_GUIDES[kind].ask not in text
    assert "個人が特定できる情報は含めないでください" in text
    assert ot.memo_filename(MEMO) == "データ提供の依頼_住民課_住民記録係_2025-12-01.docx"


def test_the_memo_is_set_up_for_a4():
    from docx import Document
    from docx.shared import Mm

    section = Document(io.BytesIO(ot.memo_docx(MEMO))).sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)


def test_an_incomplete_memo_says_what_is_missing():
    empty = ot.Memo(issued=date(2025, 12, 1))
    assert empty.problems() == ["まだ入っていない項目: 宛先の部署、自分の所属、自分の名前、頼むデータ、提出の期限"]
    late = dataclasses.replace(MEMO, deadline=date(2025, 11, 30))
    assert late.problems() == ["提出の期限が依頼文の日付より前になっています。"]
    assert MEMO.problems() == []


def test_the_memo_keeps_the_form_but_not_the_name_or_contact():
    saved = MEMO.saved()
    assert "山田" not in str(saved) and "2345" not in str(saved)
    again = ot.Memo.from_saved(saved)
    assert (again.organisation, again.addressee, again.kinds, again.deadline) == \
        (MEMO.organisation, MEMO.addressee, MEMO.kinds, MEMO.deadline)
    assert ot.Memo.from_saved({"kinds": ["areas", "gone"]}).kinds == ("areas",)


def test_ticks_from_two_pcs_of_a_team_are_both_kept(store):
    first, second = Workspace(store, "3班"), Workspace(store, "3班")
    assert not any(any(steps.values()) for steps in checklist(first).values())
    tick(first, "population", "asked", True)
    tick(second, "certification", "received", True)
    ticks = checklist(Workspace(store, "3班"))
    assert ticks["population"] == {"asked": True, "received": False}
    assert ticks["certification"] == {"asked": False, "received": True}
    tick(first, "population", "asked", False)
    assert checklist(second)["population"]["asked"] is False
    with pytest.raises(ValueError):
        tick(first, "population", "loaded", True)


def test_templates_are_read_through_the_reader_not_copied(monkeypatch):
    """The example row comes from the sample town as the kit reads it: a changed
    sample row changes the template."""
    first = datasets.sample("areas")
    changed = first.copy()
    changed.loc[changed.index[0], "地区名"] = "みなと"
    monkeypatch.setattr(datasets, "sample", lambda kind: changed if kind == "areas" else first)
    data, *_ = sheets(ot.template_xlsx("areas")).values()
    assert data[1][:2] == ("A01", "みなと")
