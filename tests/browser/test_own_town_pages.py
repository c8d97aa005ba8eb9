"""A new SC's own town in a real browser, offline: a municipality chosen on the
landing page with no file shows its ageing to 2045 on 01, says which files are
missing and offers their templates, starts 02 empty with a way to practise on the
sample town; files that disagree are named, never shown as exception text, and
put right in one click."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import pytest

from kit import datasets

pytestmark = pytest.mark.browser

# Text a page must never show: exception names and Python's own words.
_EXCEPTION_TEXT = ("Traceback", "Error:", "Exception", "SchemaValidation", "KeyError", "ValueError")


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def choose_file(page, row_title: str, path) -> None:
    """Open the data row ``row_title`` and give its file chooser ``path``."""
    row = page.locator(".jupyter-widget-Collapse", has_text=row_title).first
    if not row.locator(".kit-upload").first.is_visible():
        row.locator(".jupyter-widget-Collapse-header").first.click()
    with page.expect_file_chooser() as chooser:
        row.locator(".kit-upload .widget-upload").first.click()
    chooser.value.set_files(str(path))


def shown_text(page) -> str:
    return page.locator("#rendered_cells").inner_text()


def test_a_municipality_chosen_with_no_file_shows_its_ageing_and_what_to_ask_for(kit_server, offline_page):
    workspace = "自分のまち確認"
    page = offline_page.open(kit_server.page("00_start.ipynb", "?ws=" + quote(workspace)))
    picker = page.locator(".kit-town-picker")
    picker.get_by_label("都道府県").select_option(label="福岡県")
    picker.get_by_label("市区町村").fill("那珂川")
    picker.get_by_text("福岡県 那珂川市（40231）").wait_for()
    picker.get_by_role("button", name="このまちにする").click()
    page.locator(".kit-town-line", has_text="このワークスペースのまち: 福岡県 那珂川市").wait_for()

    page = offline_page.open(kit_server.page("01_assessment.ipynb", "?ws=" + quote(workspace)))
    page.locator(".kit-town-line", has_text="那珂川市").wait_for()
    growth = page.locator(".kit-table", has_text="2045").first
    growth.wait_for()
    page.locator(".kit-chart svg, .kit-chart img").first.wait_for(state="attached")

    open_tab(page, "全国と比べる")
    page.locator(".kit-table", has_text="福岡県").first.wait_for()
    page.get_by_text("那珂川市: 75歳以上人口の伸び").wait_for()

    open_tab(page, "要介護認定")
    page.get_by_text("那珂川市の要介護認定").first.wait_for()
    template = page.locator(".kit-missing-data a.kit-download").first
    assert template.get_attribute("download").endswith(".xlsx")
    assert not any(word in shown_text(page) for word in _EXCEPTION_TEXT)

    page = offline_page.open(kit_server.page("02_cases.ipynb", "?ws=" + quote(workspace)))
    page.get_by_text("那珂川市の個別事例は、まだありません").first.wait_for()
    assert "C001" not in shown_text(page)         # no sample case stands in for the town's own
    page.get_by_role("button", name="見本のまち「みどり野市」で練習する").click()
    page.locator(".kit-town-line", has_text="練習中").wait_for()   # the page starts over on the sample
    page.get_by_text("C001").first.wait_for()
    assert offline_page.errors() == []
    assert offline_page.external == []


def test_replaced_areas_name_the_population_file_and_one_click_puts_it_right(kit_server, offline_page, tmp_path):
    sample = datasets.sample("population")
    population = sample[sample["地区コード"].isin(["A01", "A02"])].replace({"A01": "B01", "A02": "B02"})
    population.to_csv(tmp_path / "人口.csv", index=False)
    pd.DataFrame({"地区コード": ["B01", "B02"], "地区名": ["北", "南"]}).to_csv(tmp_path / "地区.csv", index=False)
    pd.DataFrame({"地区コード": ["C01", "C02"], "地区名": ["東", "西"]}).to_csv(tmp_path / "新しい地区.csv", index=False)

    page = offline_page.open(kit_server.page("01_assessment.ipynb", "?ws=" + quote("食い違い確認")))
    open_tab(page, "自分のデータ")
    choose_file(page, datasets.KIND_LABELS["areas"], tmp_path / "地区.csv")
    page.get_by_text("使用中: 読み込んだファイル（2行）").wait_for()
    choose_file(page, datasets.KIND_LABELS["population"], tmp_path / "人口.csv")
    page.get_by_text("データを切り替えました").last.wait_for()
    choose_file(page, datasets.KIND_LABELS["areas"], tmp_path / "新しい地区.csv")

    mismatch = page.locator(".kit-mismatch")
    mismatch.get_by_text("「人口 (実績・推計)」のファイル").wait_for()
    open_tab(page, "人口と高齢化")
    page.get_by_text("使っていません").first.wait_for()
    assert not any(word in shown_text(page) for word in _EXCEPTION_TEXT)
    assert offline_page.errors() == []

    mismatch.get_by_role("button", name="地区の一覧を前のものに戻す").click()
    mismatch.get_by_role("button").first.wait_for(state="detached")
    page.get_by_text("全体の人口").wait_for()
    assert "B01 北" in page.get_by_label("地区（圏域）", exact=True).inner_text().replace("\xa0", " ")
    assert not any(word in shown_text(page) for word in _EXCEPTION_TEXT)
