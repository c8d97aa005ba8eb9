"""The landing page in a real browser: it renders offline, a workspace is chosen and
carried in the URL, and what a participant types survives reloads and restarts."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from polling import wait_until

pytestmark = pytest.mark.browser

TEAM = "テスト3班"


def choose_file(page, path) -> None:
    """ipywidgets' FileUpload opens the browser's file chooser from its button."""
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-upload .widget-upload").first.click()
    chooser.value.set_files(str(path))


def test_landing_page_renders_offline_with_japanese_title(kit_server, offline_page):
    page = offline_page.open(kit_server.page("00_start.ipynb"))
    assert page.title() == "はじめに | 地域づくりワークショップキット"
    page.get_by_text("ワークスペースを選んでください").first.wait_for()
    assert offline_page.errors() == []
    assert offline_page.external == []
    # No notebook source is ever shown.
    assert page.locator(".jp-InputArea-editor").count() == 0
    assert "from kit" not in page.content()


def test_step_links_point_only_to_pages_that_exist(kit_server, offline_page):
    from kit.pages import available_steps

    page = offline_page.open(kit_server.page("00_start.ipynb"))
    page.locator(".kit-steps a").first.wait_for()
    hrefs = page.locator(".kit-steps a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert [href.split("?")[0] for href in hrefs] == [p.file for p in available_steps()]


def test_choosing_a_workspace_puts_it_in_the_url(kit_server, offline_page):
    page = offline_page.open(kit_server.page("00_start.ipynb"))
    page.get_by_placeholder("例: 3班").fill(TEAM)
    page.get_by_text(f"「{TEAM}」で始める").click()
    page.wait_for_url(f"**/00_start.ipynb?ws={quote(TEAM)}")
    page.get_by_text(f"ワークスペース「{TEAM}」で作業中").wait_for()


def test_a_bad_workspace_name_is_explained(kit_server, offline_page):
    page = offline_page.open(kit_server.page("00_start.ipynb", "?ws=" + quote("a/b")))
    page.locator(".kit-error").first.wait_for()
    assert offline_page.errors() == []


def test_memo_survives_reload_and_server_restart(server_factory, offline_page, tmp_path):
    store = tmp_path / "store.sqlite"
    url_query = "?ws=" + quote("再起動班")
    server = server_factory(store)
    page = offline_page.open(server.page("00_start.ipynb", url_query))
    memo = page.get_by_placeholder("例: 自分の圏域の課題を")
    memo.fill("地域ケア会議の事例を持ち帰る")
    page.wait_for_selector(".kit-saved")
    page.reload()
    page.get_by_text("再起動班").first.wait_for()
    assert page.get_by_placeholder("例: 自分の圏域の課題を").input_value() == "地域ケア会議の事例を持ち帰る"

    server.stop()
    restarted = server_factory(store)
    page = offline_page.open(restarted.page("00_start.ipynb", url_query))
    page.get_by_text("再起動班").first.wait_for()
    assert page.get_by_placeholder("例: 自分の圏域の課題を").input_value() == "地域ケア会議の事例を持ち帰る"


def test_upload_keeps_previous_data_on_a_wrong_file(kit_server, offline_page, tmp_path):
    good = tmp_path / "areas.csv"
    good.write_text("地区コード,地区名,地域特性\nB01,北町,都市部\nB02,南町,郊外\n", encoding="utf-8-sig")
    bad = tmp_path / "areas_bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page = offline_page.open(kit_server.page("00_start.ipynb", "?ws=" + quote("読込班")))
    page.get_by_text("読込班").first.wait_for()
    page.get_by_text("地区 (日常生活圏域)").click()
    choose_file(page, good)
    page.get_by_text("読み込んだファイル（2行）").wait_for()
    choose_file(page, bad)
    page.locator(".kit-upload .kit-error").first.wait_for()
    assert page.get_by_text("読み込んだファイル（2行）").is_visible()

    page.reload()
    page.get_by_text("地区 (日常生活圏域)").click()
    page.get_by_text("読み込んだファイル（2行）").wait_for()


def test_a_21_mb_file_uploads(kit_server, offline_page, tmp_path):
    """Tornado refuses websocket messages over 10 MB unless the kit raises the limit."""
    big = tmp_path / "areas_big.csv"
    padding = "x" * (7 * 1024 * 1024)
    big.write_text("地区コード,地区名,備考\n" + "".join(
        f"C0{i},町{i},{padding}\n" for i in range(1, 4)), encoding="utf-8")
    assert big.stat().st_size > 21 * 1024 * 1024
    page = offline_page.open(kit_server.page("00_start.ipynb", "?ws=" + quote("大容量班")))
    page.get_by_text("大容量班").first.wait_for()
    page.get_by_text("地区 (日常生活圏域)").click()
    choose_file(page, big)
    page.get_by_text("読み込んだファイル（3行）").wait_for()


def test_a_page_opened_long_after_its_kernel_was_preheated_still_renders(
        server_factory, offline_page, tmp_path):
    """A preheated kernel waits for its visitor in the phase-2 cell; that wait must
    not count against the per-cell time limit (shortened here to 20 s)."""
    limit = 20
    server = server_factory(tmp_path / "store.sqlite", env={"KIT_CELL_TIMEOUT": str(limit)})
    wait_until(lambda: "Kernel pool of 00_start.ipynb is filled" in server.log.read_text(errors="replace"), 180,
               lambda: "the landing page's kernel was never preheated")
    time.sleep(limit + 3)  # deliberately longer than the limit: this wait is what is tested
    page = offline_page.open(server.page("00_start.ipynb", "?ws=" + quote("待機班")))
    page.get_by_text("ワークスペース「待機班」で作業中").wait_for()
    assert offline_page.errors() == []
