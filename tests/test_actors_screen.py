"""The 多様な主体リスト screen driven without a browser: what a user does on the page
(page through, add, import and merge, match, export) and what is kept in the workspace."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from kit import datasets, vocab
from kit.export import to_csv
from kit.steps.actors import domain as act
from kit.steps.actors.model import DRAFT_KEY, TABLE_KEY, chosen_partners, progress
from kit.steps.actors.screen import MAP_TAB, ActorsScreen
from kit.steps.actors.views.maps import MAP_POINTS_MAX
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import save_issues
from kit.store import Workspace, open_store

TEAM = "主体班"
DAY = date(2026, 1, 16)
SHOPPING = RegionalIssue("R1", "桜台の坂の上で買物に行けない", ("買物", "移動"), ("A03",))


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "s.sqlite"))


def screen_on(store, team: str | None = TEAM) -> ActorsScreen:
    return ActorsScreen(store, today=lambda: DAY).open(team)


def stored(store) -> pd.DataFrame:
    return act.normalise(Workspace(store, TEAM).get_table(datasets.table_key("actors")))


def downloaded(link_html: str) -> bytes:
    encoded = re.search(r'href="data:[^;]+;base64,([^"]+)"', link_html).group(1)
    return base64.b64decode(encoded)


def upload_practice(screen: ActorsScreen) -> None:
    practice = act.practice_import(act.normalise(datasets.sample("actors")))
    screen.imports.upload("練習.csv", to_csv(practice, "cp932").data)


def test_the_registry_pages_through_the_list_and_filters_it(store):
    screen = screen_on(store)
    total = len(datasets.sample("actors"))
    assert f"1～20件目 / {total:,}件" in screen.registry.table_html
    screen.model.turn(1)
    assert f"21～40件目 / {total:,}件" in screen.registry.table_html
    screen.model.turn(-1)
    assert f"1～20件目 / {total:,}件" in screen.registry.table_html
    screen.model.turn(1)
    screen.model.area_filter = "A05"                          # a filter starts again at the first page
    in_okusawa = len(act.filter_actors(act.normalise(datasets.sample("actors")), areas=["A05"]))
    assert f"1～20件目 / {in_okusawa:,}件" in screen.registry.table_html and in_okusawa < total
    assert screen.registry.table_html.count("<tr>") == 21     # a header and one page, never the whole list
    assert screen.maps.note_html == ""                        # the map waits until its tab opens
    screen.show_tab(MAP_TAB)
    assert f"表示中の{in_okusawa:,}件" in screen.maps.note_html
    assert "mark-shape" in screen.maps.map_svg and "mark-symbol" in screen.maps.map_svg   # areas and points
    screen.model.area_filter = ""
    assert f"表示中の{total:,}件" in screen.maps.note_html   # and follows the filters while open


def test_a_long_list_is_mapped_as_counts_per_area_instead_of_thousands_of_points(store):
    sample = act.normalise(datasets.sample("actors"))
    copies = [sample.assign(主体ID=sample["主体ID"] + f"-{n}") for n in range(MAP_POINTS_MAX // len(sample) + 1)]
    Workspace(store, TEAM).put_table(datasets.table_key("actors"), pd.concat(copies, ignore_index=True))
    screen = screen_on(store)
    screen.show_tab(MAP_TAB)
    assert "地区ごとの数で塗り分け" in screen.maps.note_html
    assert "mark-symbol" not in screen.maps.map_svg and len(screen.maps.map_svg) < 100_000


def test_a_new_actor_is_saved_in_the_workspace_and_found_after_reopening(store):
    screen = screen_on(store)
    screen.model.type({"名称": "川北こども食堂の会", "主体種別": "ボランティア団体", "取組形態": "投資的な活動",
                       "困っていること": "会場の予約が取りにくい", "対応できる生活課題": ("食事", "多世代交流"),
                       "活動地区": ("A04",)})
    actor_id = screen.form.save()
    assert actor_id and "保存しました" in screen.form.status_html
    row = stored(store).set_index("主体ID").loc[actor_id]
    assert row["名称"] == "川北こども食堂の会" and row["対応できる生活課題"] == ("食事", "多世代交流")
    assert row["取組形態"] == "投資的な活動" and row["更新日"] == pd.Timestamp(DAY)
    again = screen_on(store)
    again.form.search("こども食堂")
    assert actor_id in [value for _, value in again.form.picker_options]


def test_a_form_with_problems_is_not_saved_and_says_why(store):
    screen = screen_on(store)
    screen.model.type({"名称": "みどり会", "メール": "midori@"})
    assert screen.form.save() is None
    assert "メール「midori@」" in screen.form.status_html
    assert Workspace(store, TEAM).get_table(datasets.table_key("actors")) is None


def test_what_is_typed_survives_a_reload_before_saving(store):
    screen = screen_on(store)
    screen.model.type({"名称": "下書きの会"})
    screen.model.type({"できること・やりたいこと": "集会所を貸せる"})
    again = screen_on(store)
    assert again.model.draft["名称"] == "下書きの会"
    assert again.model.draft["できること・やりたいこと"] == "集会所を貸せる"
    assert "復元しました" in again.form.status_html
    again.form.save()
    assert Workspace(store, TEAM).get(DRAFT_KEY) is None


def test_an_import_with_duplicates_is_merged_field_by_field_and_kept(store):
    screen = screen_on(store)
    before = len(datasets.sample("actors"))
    upload_practice(screen)
    assert "4件をリストに追加" in screen.imports.status_html
    assert "残り2組" in screen.imports.pair_html and "2組あります" in screen.registry.notice_html
    sample = act.normalise(datasets.sample("actors"))
    screen.imports.choose("名称", "right")                    # keep the imported spelling
    screen.imports.merge()
    merged = stored(store)
    assert len(merged) == before + 3
    first = merged.set_index("主体ID").loc["S001"]
    assert first["名称"] == f"(株){sample.at[0, '名称']}"
    assert first["連携状況"] == sample.at[0, "連携状況"]        # not chosen: the list's own value stays
    assert first["取組形態"] == "既存事業への波及を期待"      # empty before, filled from the file
    assert "健康" in first["対応できる生活課題"]
    assert "残り1組" in screen.imports.pair_html
    screen.imports.keep_apart()
    assert "重複の候補はありません" in screen.imports.pair_html and screen.registry.notice_html == ""
    assert "重複の候補はありません" in screen_on(store).imports.pair_html   # the decision is kept


def test_an_import_can_be_undone(store):
    screen = screen_on(store)
    upload_practice(screen)
    assert screen.imports.can_undo
    screen.imports.undo()
    assert len(stored(store)) == len(datasets.sample("actors"))
    assert not screen.imports.can_undo


def uncovered_issue() -> RegionalIssue:
    """An issue about a life issue that no sample actor answers in some area."""
    sample = act.normalise(datasets.sample("actors"))
    for term in vocab.LIFE_ISSUES:
        for area in datasets.sample("areas")["地区コード"]:
            local = act.filter_actors(sample, areas=[area])
            if not local["対応できる生活課題"].map(lambda cell: term in cell).any():
                return RegionalIssue("R2", f"{area}で{term}に困っている", (term,), (area,))
    raise AssertionError("the sample town answers every life issue everywhere")


def test_matching_shows_candidates_with_reasons_highlights_gaps_and_keeps_the_offer(store):
    save_issues(Workspace(store, TEAM), [SHOPPING, uncovered_issue()])
    screen = screen_on(store)
    summary = screen.matching.summary_html
    gap_row = re.search(r'<tr class="kit-gap">.*?</tr>', summary).group(0)
    assert "R2" in gap_row and "空白" in gap_row
    assert 'class="kit-gap"><td>R1' not in summary
    assert screen.model.issue == "R1"                          # the first issue, until another is chosen
    assert "生活課題「買物」" in screen.matching.candidates_html and "桜台(A03)" in screen.matching.candidates_html
    assert "kit-precedent" in screen.matching.candidates_html
    screen.partners.write_offer("集会所と広報紙の枠を使えます")
    reopened = screen_on(store)
    assert reopened.partners.offer_text == "集会所と広報紙の枠を使えます"


def _contact_values(actors: pd.DataFrame) -> list[str]:
    return [act.text(v) for column in ("担当者", "電話", "メール") for v in actors[column] if act.text(v)]


def test_exports_hold_contacts_only_when_the_box_is_ticked(store):
    save_issues(Workspace(store, TEAM), [SHOPPING])
    screen = screen_on(store)
    sample = act.normalise(datasets.sample("actors"))
    screen.exports.export("list_xlsx")
    sheet = load_workbook(io.BytesIO(downloaded(screen.exports.out_html))).active
    text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert "主体ID" in text and [v for v in _contact_values(sample) if v in text] == []
    screen.exports.export("match_csv")
    matching = downloaded(screen.exports.out_html).decode("cp932")
    assert "一緒に解決したい課題" in matching and [v for v in _contact_values(sample) if v in matching] == []
    screen.exports.include_contacts = True
    screen.exports.export("list_csv")
    with_contacts = downloaded(screen.exports.out_html).decode("cp932")
    assert sample.at[0, "電話"] in with_contacts and sample.at[0, "担当者"] in with_contacts


def test_a_character_shift_jis_cannot_hold_is_reported_not_lost_silently(store):
    screen = screen_on(store)
    screen.model.type({"名称": "𠮷田商店"})
    screen.form.save()
    screen.exports.export("list_csv")
    assert "Shift_JIS で書けない文字が1個" in screen.exports.out_html
    assert "𠮷" in screen.exports.out_html
    screen.exports.encoding = "utf-8-sig"
    screen.exports.export("list_csv")
    assert "𠮷田商店" in downloaded(screen.exports.out_html).decode("utf-8-sig")


def test_an_unusable_workspace_name_is_explained_and_nothing_is_shown(store):
    screen = screen_on(store, "a/b")
    assert "kit-error" in screen._banner.value
    assert screen._tabs not in screen.view.children
    assert screen.model is None


# ------------------------------------------------------------------ the exercise's answer, kept

def exported_matching(screen: ActorsScreen) -> pd.DataFrame:
    screen.exports.export("match_csv")
    return pd.read_csv(io.BytesIO(downloaded(screen.exports.out_html)), encoding="cp932", dtype=str)


def test_the_team_chooses_up_to_three_partners_per_issue_each_with_why_and_they_come_first(store):
    save_issues(Workspace(store, TEAM), [SHOPPING])
    screen = screen_on(store)
    ranked = screen.model.candidates("R1")[["主体ID", "名称"]].values.tolist()
    assert len(ranked) >= 5 and "選んだ相手" not in screen.matching.candidates_html   # nothing filled in
    table = exported_matching(screen)                       # nor in the list handed out
    assert table.empty and "まだ選んでいない課題があります（R1）" in screen.exports.out_html
    assert not screen.partners.choose(ranked[4][0], "  ")
    assert "理由を書いてください" in screen.partners.status_html
    picks = [ranked[4], ranked[1], ranked[3]]              # not the top three, in the team's order
    reasons = ["坂の上まで配達している", "付き添いの人手がある", "店の困りごとが課題と重なる"]
    for (actor_id, _name), reason in zip(picks, reasons):
        assert screen.partners.choose(actor_id, reason)
    assert not screen.partners.choose(ranked[0][0], "順位が一番上")
    assert "もう3者を選んでいます" in screen.partners.status_html

    kept = chosen_partners(Workspace(store, TEAM))
    assert [(p.issue_id, p.actor_id, p.name, p.reason) for p in kept] == [
        ("R1", actor_id, name, reason) for (actor_id, name), reason in zip(picks, reasons)]
    rows = re.findall(r"<tr.*?</tr>", screen.matching.candidates_html)[1:]
    assert [name in row and "選んだ相手" in row for row, (_, name) in zip(rows, picks)] == [True] * 3
    assert ranked[0][1] in rows[3] and "選んだ理由" in rows[0] and reasons[0] in rows[0]

    screen.exports.top = 0                                  # the chosen ones only
    table = exported_matching(screen)
    assert table["団体名"].tolist() == [name for _, name in picks]
    assert table["選んだ理由"].tolist() == reasons and set(table["区分"]) == {"選んだ相手"}
    screen.exports.top = 2                                  # then the best-ranked others, said to be candidates
    table = exported_matching(screen)
    assert table["団体名"].tolist() == [name for _, name in picks] + [ranked[0][1], ranked[2][1]]
    assert table["区分"].tolist() == ["選んだ相手"] * 3 + ["候補"] * 2

    again = screen_on(store)                                # another PC, or after a reload
    assert all(name in again.partners.chosen_html for _, name in picks)
    again.partners.remove(picks[0][0])
    assert again.partners.choose(ranked[0][0], "順位が一番上")
    assert [p.actor_id for p in chosen_partners(Workspace(store, TEAM))] == [
        picks[1][0], picks[2][0], ranked[0][0]]
    screen.model.reload()                                   # the first PC follows
    assert ranked[0][1] in screen.partners.chosen_html and picks[0][1] not in screen.partners.chosen_html


def test_a_reason_is_masked_before_it_is_kept_and_the_page_says_what_was_hidden(store):
    screen = screen_on(store)
    actor_id = screen.partners.partner_options[0][1]
    assert screen.partners.choose(actor_id, "田中さん（090-1234-5678）が店長で、話が早い")
    assert "kit-masked" in screen.partners.status_html and "090-1234-5678" in screen.partners.status_html
    reason = chosen_partners(Workspace(store, TEAM))[0].reason
    assert "090-1234-5678" not in reason and "田中" not in reason and "店長で、話が早い" in reason


def test_the_issue_in_view_is_remembered_across_reloads(store):
    screen = screen_on(store)
    issues = [issue.id for issue in screen.model.issues]
    assert screen.model.issue == issues[0]
    assert progress(Workspace(store, TEAM)).status == "未着手"   # opening the page writes nothing
    screen.model.issue = issues[2]
    screen.partners.write_offer("集会所を貸せます")
    reopened = screen_on(store)
    assert reopened.model.issue == issues[2]
    assert reopened.partners.offer_text == "集会所を貸せます"
    statement = reopened.model.current_issue().statement
    assert html.escape(statement) in reopened.matching.summary_html


def test_an_actors_own_life_issue_is_kept_when_it_is_edited_in_the_form(store):
    sample = act.normalise(datasets.sample("actors"))
    actor_id = sample.at[0, "主体ID"]
    sample.at[0, "対応できる生活課題"] = (*sample.at[0, "対応できる生活課題"], "役割")   # not in the vocabulary
    Workspace(store, TEAM).put_table(TABLE_KEY, sample)
    screen = screen_on(store)
    screen.model.show_record(actor_id)
    screen.model.type({"困っていること": "人手が足りない"})
    assert screen.form.save() == actor_id, screen.form.status_html
    row = stored(store).set_index("主体ID").loc[actor_id]
    assert "役割" in row["対応できる生活課題"] and row["困っていること"] == "人手が足りない"
