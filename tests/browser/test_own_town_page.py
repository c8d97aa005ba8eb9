"""Page 07 明日から自分のまちで in a real browser: reached from 00 in the same
workspace, the checklist survives a reload, the memo and a template download."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from kit.io import load
from kit.own_town import domain as ot

pytestmark = pytest.mark.browser

TEAM = "自分のまち班"


def test_checklist_survives_a_reload_and_the_memo_and_template_download(kit_server, offline_page, tmp_path):
    page = offline_page.open(kit_server.page("00_start.ipynb", "?ws=" + quote(TEAM)))
    page.locator(".kit-own-town-link a").click()
    page.wait_for_url(re.compile(r"07_own_town\.ipynb\?ws=" + re.escape(quote(TEAM))))
    page.get_by_text(f"ワークスペース「{TEAM}」で作業中").wait_for()
    assert page.title() == "明日から自分のまちで | 地域づくりワークショップキット"

    asked = page.locator(".kit-check-population-asked input")
    asked.check()
    page.locator(".kit-saved", has_text="保存しました").wait_for()
    page.reload()
    page.get_by_text("前回の保存").wait_for()
    assert page.locator(".kit-check-population-asked input").is_checked()
    assert not page.locator(".kit-check-population-received input").is_checked()

    page.locator(".jupyter-widget-Collapse-header", has_text="要介護認定者数（圏域別）").click()
    page.locator(".kit-guide-certification button").click()
    with page.expect_download() as download:
        page.get_by_text(f"{ot.template_filename('certification')} を保存").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert load("certification", template).ok

    page.get_by_placeholder("例: 市民課 住民記録係").fill("介護保険課 認定係")
    page.get_by_placeholder("例: みどり野市 地域包括ケア推進課").fill("ひかり町 地域包括ケア推進室")
    page.get_by_placeholder("例: 佐藤 花子（保存しません）").fill("山田 一郎")
    page.locator(".kit-memo-kind-certification input").check()
    page.locator(".kit-own-town input[type=date]").fill("2099-01-29")
    page.locator(".kit-memo-preview", has_text="令和81年1月29日").wait_for()
    page.get_by_role("button", name="依頼文（Word）を作る").click()
    with page.expect_download() as download:
        page.locator(".kit-download", has_text="データ提供の依頼").click()
    assert download.value.suggested_filename.startswith("データ提供の依頼_介護保険課_認定係_")

    assert offline_page.errors() == [] and offline_page.external == []
    assert not re.search(r"Traceback|Error:|Exception", page.locator("#rendered_cells").inner_text())
    load_workbook(template)  # the download is a workbook Excel opens
