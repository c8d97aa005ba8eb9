"""Page 03 in a real browser, offline: import a list with duplicates, merge one,
match a regional issue and download the matching list without personal data;
choose a partner with a reason, and find it (and the issue in view) after a reload."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kit import datasets
from kit.export import to_csv
from kit.steps.actors import domain as act
from kit.steps.cases.issues import sample_issues

pytestmark = pytest.mark.browser

TEAM = "主体リスト班"


def test_import_merge_match_and_export(kit_server, offline_page, tmp_path):
    sample = act.normalise(datasets.sample("actors"))
    practice = tmp_path / "練習_主体リスト.csv"
    practice.write_bytes(to_csv(act.practice_import(sample), "cp932").data)
    issue = next(i for i in sample_issues() if "買物" in i.life_issues and i.areas)

    page = offline_page.open(kit_server.page("03_actors.ipynb", "?ws=" + quote(TEAM)))
    assert page.title() == "多様な主体リスト | 地域づくりワークショップキット"
    page.get_by_text(f"ワークスペース「{TEAM}」で作業中").wait_for()

    page.get_by_role("tab", name="3 読み込みと重複").click()
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-upload").get_by_text("ファイルを選ぶ").click()
    chooser.value.set_files(str(practice))
    page.get_by_text("4件をリストに追加しました", exact=False).wait_for()
    page.get_by_text("残り2組", exact=False).wait_for()
    page.get_by_role("button", name="統合する").click()
    page.get_by_text("残り1組", exact=False).wait_for()
    page.get_by_text("P01 を S001 に統合しました").wait_for()

    page.get_by_role("tab", name="5 課題とのマッチング").click()
    picker = page.locator(".kit-issue-pick select")
    label = next(text for text in picker.locator("option").all_inner_texts() if text.startswith(issue.id))
    picker.select_option(label=label)
    candidates = page.locator(".kit-candidates")
    candidates.get_by_text("生活課題「買物」", exact=False).first.wait_for()
    assert candidates.locator("tr").count() > 1

    page.get_by_role("tab", name="6 書き出し").click()
    page.get_by_label("加える候補の数").fill("3")       # none is chosen yet: ask for candidates
    page.get_by_label("加える候補の数").press("Enter")
    page.get_by_role("button", name="マッチングリストを CSV で").click()
    link = page.locator(".kit-export-out .kit-download")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    text = open(download.value.path(), "rb").read().decode("cp932")
    assert issue.statement in text and "私たちが提供できること" in text
    contacts = [act.text(v) for c in ("担当者", "電話", "メール") for v in sample[c] if act.text(v)]
    assert [value for value in contacts if value in text] == []

    assert offline_page.errors() == []
    assert offline_page.external == []


def test_a_chosen_partner_and_its_reason_are_still_there_after_a_reload(kit_server, offline_page):
    team = "相手選び班"
    url = kit_server.page("03_actors.ipynb", "?ws=" + quote(team))
    issue = sample_issues()[1]                           # not the first: the page must remember it
    page = offline_page.open(url)
    page.get_by_text(f"ワークスペース「{team}」で作業中").wait_for()
    page.get_by_role("tab", name="5 課題とのマッチング").click()
    picker = page.locator(".kit-issue-pick select")
    picker.select_option(label=next(t for t in picker.locator("option").all_inner_texts() if t.startswith(issue.id)))
    areas = datasets.sample("areas")
    matches = act.match_issues([issue], act.normalise(datasets.sample("actors")),
                               dict(zip(areas["地区コード"], areas["地区名"])))
    third = matches.sort_values("順位").iloc[2]           # not the top one: the team's own choice
    name = third["名称"]
    option = page.locator(".kit-partner-pick select option", has_text=f"（{third['主体ID']}）")
    option.wait_for(state="attached")                    # the picker follows the issue in view
    page.locator(".kit-partner-pick select").select_option(label=option.text_content())
    page.get_by_placeholder("例: 困っていることが", exact=False).fill("昼の時間が空いていて、付き添いを頼める")
    page.get_by_role("button", name="相手に選ぶ").click()
    page.get_by_text(f"「{name}」を相手に選びました。").wait_for()

    page = offline_page.open(url)                        # a reload
    page.get_by_text(f"ワークスペース「{team}」で作業中").wait_for()
    page.get_by_role("tab", name="5 課題とのマッチング").click()
    chosen = page.locator(".kit-chosen-partners")
    chosen.get_by_text("昼の時間が空いていて、付き添いを頼める", exact=False).wait_for()
    assert name in chosen.inner_text()
    assert page.locator(".kit-issue-pick select option:checked").inner_text().startswith(issue.id)
    first_row = page.locator(".kit-candidates tr").nth(1)
    assert name in first_row.inner_text() and "選んだ相手" in first_row.inner_text()

    assert offline_page.errors() == []
    assert offline_page.external == []
