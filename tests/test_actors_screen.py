"""The 多様な主体リスト screen driven without a browser: what a user does on the page
(page through, add, import and merge, match, export) and what is kept in the workspace."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from kit import datasets, vocab
from kit.export import to_csv
from kit.steps.actors import domain as act
from kit.steps.actors.screen import DRAFT_KEY, MAP_POINTS_MAX, VIEWS_TAB, ActorsScreen
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
    screen._upload.handle_upload("練習.csv", to_csv(practice, "cp932").data)


def test_the_registry_pages_through_the_list_and_filters_it(store):
    screen = screen_on(store)
    total = len(datasets.sample("actors"))
    assert f"1～20件目 / {total:,}件" in screen._table.value
    screen._next.click()
    assert f"21～40件目 / {total:,}件" in screen._table.value
    assert not screen._prev.disabled
    screen._f_area.value = "A05"
    in_okusawa = len(act.filter_actors(act.normalise(datasets.sample("actors")), areas=["A05"]))
    assert f"1～20件目 / {in_okusawa:,}件" in screen._table.value and in_okusawa < total
    assert screen._table.value.count("<tr>") == 21        # a header and one page, never the whole list
    screen._tabs.selected_index = VIEWS_TAB                 # the map is drawn when its tab opens
    assert f"表示中の{in_okusawa:,}件" in screen._map_note.value
    assert "mark-shape" in screen._map.value and "mark-symbol" in screen._map.value   # areas and points
    screen._f_area.value = ""
    assert f"表示中の{total:,}件" in screen._map_note.value   # and follows the filters while open


def test_a_long_list_is_mapped_as_counts_per_area_instead_of_thousands_of_points(store):
    sample = act.normalise(datasets.sample("actors"))
    copies = [sample.assign(主体ID=sample["主体ID"] + f"-{n}") for n in range(MAP_POINTS_MAX // len(sample) + 1)]
    Workspace(store, TEAM).put_table(datasets.table_key("actors"), pd.concat(copies, ignore_index=True))
    screen = screen_on(store)
    screen._tabs.selected_index = VIEWS_TAB
    assert "地区ごとの数で塗り分け" in screen._map_note.value
    assert "mark-symbol" not in screen._map.value and len(screen._map.value) < 100_000


def test_a_new_actor_is_saved_in_the_workspace_and_found_after_reopening(store):
    screen = screen_on(store)
    screen._fields["名称"].value = "川北こども食堂の会"
    screen._fields["主体種別"].value = "ボランティア団体"
    screen._fields["取組形態"].value = "投資的な活動"
    screen._fields["困っていること"].value = "会場の予約が取りにくい"
    screen._checks["対応できる生活課題"].value = ("食事", "多世代交流")
    screen._checks["活動地区"].value = ("A04",)
    actor_id = screen.save_form()
    assert actor_id and "保存しました" in screen._form_status.value
    row = stored(store).set_index("主体ID").loc[actor_id]
    assert row["名称"] == "川北こども食堂の会" and row["対応できる生活課題"] == ("食事", "多世代交流")
    assert row["取組形態"] == "投資的な活動" and row["更新日"] == pd.Timestamp(DAY)
    again = screen_on(store)
    again._pick_query.value = "こども食堂"
    assert actor_id in [value for _, value in again._pick.options]


def test_a_form_with_problems_is_not_saved_and_says_why(store):
    screen = screen_on(store)
    screen._fields["名称"].value = "みどり会"
    screen._fields["メール"].value = "midori@"
    assert screen.save_form() is None
    assert "メール「midori@」" in screen._form_status.value
    assert Workspace(store, TEAM).get_table(datasets.table_key("actors")) is None


def test_what_is_typed_survives_a_reload_before_saving(store):
    screen = screen_on(store)
    screen._fields["名称"].value = "下書きの会"
    screen._fields["できること・やりたいこと"].value = "集会所を貸せる"
    again = screen_on(store)
    assert again._fields["名称"].value == "下書きの会"
    assert again._fields["できること・やりたいこと"].value == "集会所を貸せる"
    assert "復元しました" in again._form_status.value
    again.save_form()
    assert Workspace(store, TEAM).get(DRAFT_KEY) is None


def test_an_import_with_duplicates_is_merged_field_by_field_and_kept(store):
    screen = screen_on(store)
    before = len(datasets.sample("actors"))
    upload_practice(screen)
    assert "4件をリストに追加" in screen._import_status.value
    assert "残り2組" in screen._dup_status.value and "2組あります" in screen._dup_notice.value
    sample = act.normalise(datasets.sample("actors"))
    screen._pair_choices["名称"].value = "right"              # keep the imported spelling
    screen.merge_current()
    merged = stored(store)
    assert len(merged) == before + 3
    first = merged.set_index("主体ID").loc["S001"]
    assert first["名称"] == f"(株){sample.at[0, '名称']}"
    assert first["連携状況"] == sample.at[0, "連携状況"]        # not chosen: the list's own value stays
    assert first["取組形態"] == "既存事業への波及を期待"      # empty before, filled from the file
    assert "健康" in first["対応できる生活課題"]
    assert "残り1組" in screen._dup_status.value
    screen.keep_current_apart()
    assert "重複の候補はありません" in screen._dup_status.value
    assert "重複の候補はありません" in screen_on(store)._dup_status.value   # the decision is kept


def test_an_import_can_be_undone(store):
    screen = screen_on(store)
    upload_practice(screen)
    screen._undo.click()
    assert len(stored(store)) == len(datasets.sample("actors"))
    assert screen._undo.disabled


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
    summary = screen._issue_summary.value
    gap_row = re.search(r'<tr class="kit-gap">.*?</tr>', summary).group(0)
    assert "R2" in gap_row and "空白" in gap_row
    assert 'class="kit-gap"><td>R1' not in summary
    screen._issue_pick.value = "R1"
    assert "生活課題「買物」" in screen._candidates.value and "桜台(A03)" in screen._candidates.value
    assert "kit-precedent" in screen._candidates.value
    screen._offer.value = "集会所と広報紙の枠を使えます"
    reopened = screen_on(store)
    reopened._issue_pick.value = "R1"
    assert reopened._offer.value == "集会所と広報紙の枠を使えます"


def _contact_values(actors: pd.DataFrame) -> list[str]:
    return [act.text(v) for column in ("担当者", "電話", "メール") for v in actors[column] if act.text(v)]


def test_exports_hold_contacts_only_when_the_box_is_ticked(store):
    save_issues(Workspace(store, TEAM), [SHOPPING])
    screen = screen_on(store)
    sample = act.normalise(datasets.sample("actors"))
    screen.export("list_xlsx")
    sheet = load_workbook(io.BytesIO(downloaded(screen._export_out.value))).active
    text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert "主体ID" in text and [v for v in _contact_values(sample) if v in text] == []
    screen.export("match_csv")
    matching = downloaded(screen._export_out.value).decode("cp932")
    assert "一緒に解決したい課題" in matching and [v for v in _contact_values(sample) if v in matching] == []
    screen._contacts.value = True
    screen.export("list_csv")
    with_contacts = downloaded(screen._export_out.value).decode("cp932")
    assert sample.at[0, "電話"] in with_contacts and sample.at[0, "担当者"] in with_contacts


def test_a_character_shift_jis_cannot_hold_is_reported_not_lost_silently(store):
    screen = screen_on(store)
    screen._fields["名称"].value = "𠮷田商店"
    screen.save_form()
    screen.export("list_csv")
    assert "Shift_JIS で書けない文字が1個" in screen._export_out.value
    assert "𠮷" in screen._export_out.value
    screen._encoding.value = "utf-8-sig"
    screen.export("list_csv")
    assert "𠮷田商店" in downloaded(screen._export_out.value).decode("utf-8-sig")


def test_an_unusable_workspace_name_is_explained_and_nothing_is_shown(store):
    screen = screen_on(store, "a/b")
    assert "kit-error" in screen._banner.value
    assert screen._tabs not in screen.view.children
    assert screen.model is None
