"""The 地域診断 page in a real browser, offline: switching area, risk rule set and
comparison municipality changes the page, and the exports open."""

from __future__ import annotations

import base64
import io
import struct
from urllib.parse import quote

import openpyxl
import pytest

pytestmark = pytest.mark.browser

TEAM = "診断班"


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the visible drop-down labelled ``label`` (another tab may
    have one of the same name: the data tab's town picker has a 都道府県 too)."""
    page.get_by_label(label, exact=True).locator("visible=true").select_option(label=option)


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def downloaded(page, text: str) -> bytes:
    link = page.locator("a.kit-download", has_text=text)
    link.wait_for()
    href = link.get_attribute("href")
    return base64.b64decode(href.split(",", 1)[1])


def test_area_rule_set_and_comparison_change_the_page(kit_server, offline_page):
    page = offline_page.open(kit_server.page("01_assessment.ipynb", "?ws=" + quote(TEAM)))
    assert page.title() == "地域診断 | 地域づくりワークショップキット"
    page.get_by_text("全体の人口").wait_for()

    choose(page, "地区（圏域）", "A03 桜台")
    page.get_by_text("桜台の人口").wait_for()

    open_tab(page, "ニーズ調査のリスク")
    risk = page.locator(".kit-table", has_text="運動器機能低下").first
    risk.wait_for()
    page.locator(".kit-rule-badge", has_text="判定方法: ニーズ調査 手引き").first.wait_for()
    choose(page, "リスクの判定方法", "基本チェックリスト")
    page.locator(".kit-table", has_text="運動機能の低下").first.wait_for()
    assert page.locator(".kit-rule-badge", has_text="判定方法: 基本チェックリスト").count() >= 2

    open_tab(page, "全国と比べる")
    page.locator(".kit-national img").wait_for()
    choose(page, "都道府県", "東京都")
    choose(page, "市区町村", "千代田区")
    page.locator(".kit-table", has_text="東京都 千代田区").wait_for()
    page.locator(".kit-national svg").first.wait_for(state="attached")

    assert offline_page.errors() == []
    assert offline_page.external == []


def test_memo_and_exports_open(kit_server, offline_page):
    page = offline_page.open(kit_server.page("01_assessment.ipynb", "?ws=" + quote(TEAM + "2")))
    choose(page, "地区（圏域）", "A05 奥沢")
    open_tab(page, "気づきメモ・書き出し")
    page.get_by_text("気づきメモ: 奥沢").wait_for()
    page.locator(".kit-memo-notice textarea").fill("奥沢は通いの場が少なく、閉じこもりが多い")
    page.locator(".kit-saved").first.wait_for()

    page.get_by_role("button", name="表とメモをExcelに書き出す").click()
    book = openpyxl.load_workbook(io.BytesIO(downloaded(page, ".xlsx")))
    assert "気づきメモ" in book.sheetnames and "人口" in book.sheetnames
    memo = [c.value for row in book["気づきメモ"].iter_rows() for c in row]
    assert "奥沢は通いの場が少なく、閉じこもりが多い" in memo

    choose(page, "図", "人口の伸び")
    page.get_by_role("button", name="PNGを作る").click()
    png = downloaded(page, ".png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 600 and height >= 300

    assert offline_page.errors() == []
    assert offline_page.external == []
