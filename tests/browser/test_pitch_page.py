"""Page 04 in a real browser: a pitch is built from the sample town, both files are
downloaded and open, and the rehearsal timer ticks; offline, with no error output."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from pptx import Presentation

pytestmark = pytest.mark.browser

TEAM = "提案テスト班"
KI = "奥沢で一人暮らしのBさんは、重い物が買えずに困っています。"
TEN = "こだま食品さんに、集会所での停車時間を延ばしていただきます。"
GAIN = "常連のお客様が長く通い続けてくれる。"


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def choose(select, containing: str) -> None:
    """Pick the option whose text contains ``containing``."""
    select.locator("option").nth(1).wait_for(state="attached")
    select.select_option(label=next(t for t in select.locator("option").all_inner_texts() if containing in t))


def prompt_count(page) -> int:
    return int(page.locator(".kit-prompt-count").inner_text())


def download(page, button: str, link: str, tmp_path):
    page.get_by_role("button", name=button).click()
    anchor = page.locator(".kit-download", has_text=link)
    anchor.wait_for()
    with page.expect_download() as info:
        anchor.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_build_a_pitch_export_both_files_and_rehearse(kit_server, offline_page, tmp_path):
    page = offline_page.open(kit_server.page("04_pitch.ipynb", "?ws=" + quote(TEAM)))
    assert page.title() == "提案準備 | 地域づくりワークショップキット"
    page.locator(".kit-prompts").wait_for()
    before = prompt_count(page)

    choose(page.locator(".widget-dropdown", has_text="地域課題").locator("select"), "K01")
    page.locator(".kit-issue").wait_for()
    choose(page.locator(".widget-dropdown", has_text="事例").locator("select"), "C009")
    page.locator(".kit-story", has_text="米や灯油").wait_for()
    choose(page.locator(".widget-select-multiple select"), "有限会社こだま食品")
    page.get_by_role("button", name="この数字を追加").click()
    page.get_by_text("出典: 地域診断").first.wait_for()

    open_tab(page, "2 提案キャンバス")
    page.locator(".kit-field-ki textarea").fill(KI)
    page.locator(".kit-field-ten textarea").fill(TEN)
    page.locator(".kit-field-gain_partner textarea").fill(GAIN)
    page.locator(".kit-field-ki textarea").click()  # leave the last field
    page.wait_for_function(
        "n => Number(document.querySelector('.kit-prompt-count').textContent) <= n", arg=before - 7)
    assert prompt_count(page) == before - 7  # issue, figure, story, partner, partner's gain, 起, 転

    open_tab(page, "4 書き出す")
    slides = Presentation(str(download(page, "PowerPoint をつくる", "スライドを保存する", tmp_path)))
    texts = ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
             for slide in slides.slides]
    assert len(texts) == 7 and KI in texts[1] and TEN in texts[3] and GAIN in texts[5]
    one_pager = download(page, "1枚まとめ（印刷用）をつくる", "1枚まとめを保存する", tmp_path)
    summary = one_pager.read_text(encoding="utf-8")
    assert one_pager.suffix == ".html" and KI in summary and "奥沢の高齢化率" in summary

    open_tab(page, "5 リハーサル")
    page.locator(".kit-timer-digits", has_text="3:00").wait_for()
    page.locator(".widget-play button").first.click()
    page.locator(".kit-timer-digits", has_text="2:5").wait_for()  # ticks from the browser

    assert offline_page.errors() == []
    assert offline_page.external == []
