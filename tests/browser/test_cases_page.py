"""Page 02 in a real browser: a case is tagged, two issue cards are grouped, and both
are still there after a reload; offline, with no error output."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

TEAM = "事例テスト班"
GROUP = "通院と買物の足"


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def test_tag_group_reload_and_find_them(kit_server, offline_page):
    url = kit_server.page("02_cases.ipynb", "?ws=" + quote(TEAM))
    page = offline_page.open(url)
    assert page.title() == "個別事例から地域課題へ | 地域づくりワークショップキット"
    page.locator(".kit-card").first.wait_for()

    # Tag the first case with the kit's suggestions.
    open_tab(page, "2 タグ付け")
    page.get_by_role("button", name="提案をすべて付ける").click()
    saved = page.locator(".kit-saved", has_text="C001")
    saved.wait_for()
    tagged = saved.inner_text().split(": ", 1)[1].split("・")
    assert tagged and tagged != ["なし"]

    # Group two of its issue cards.
    open_tab(page, "4 グループ化")
    select = page.locator(".kit-loose-cards select")
    select.locator("option").nth(1).wait_for(state="attached")
    values = select.locator("option").evaluate_all("os => os.slice(0, 2).map(o => o.value)")
    labels = select.locator("option").evaluate_all("os => os.slice(0, 2).map(o => o.textContent)")
    select.select_option(values)
    page.get_by_placeholder("グループの名前").fill(GROUP)
    page.get_by_role("button", name="選んだカードでグループをつくる").click()
    page.locator(".kit-group-name", has_text=GROUP).wait_for()

    page.reload()
    page.wait_for_selector("#rendered_cells", state="visible")
    page.locator(".kit-card").first.wait_for()
    card = page.locator('.kit-card-list .kit-card[data-case="C001"]')
    for tag in tagged:
        assert card.locator(".kit-chip", has_text=tag).count() == 1
    open_tab(page, "4 グループ化")
    group = page.locator(".kit-group", has_text=GROUP)
    group.wait_for()
    for label in labels:
        assert label.replace("\xa0", " ").strip() in group.inner_text()  # options show spaces as nbsp
    assert offline_page.errors() == []
    assert offline_page.external == []
