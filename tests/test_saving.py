"""Saving typed text, without a browser: masked on save and said so, bounded,
honest when the store or the masking engine fails, and never written over what
another device saved in between (kit.ui.saving and the pages that use it)."""

from __future__ import annotations

import sqlite3
import sys

import ipywidgets as widgets
import pytest
from pitch_fixtures import find, shown, widgets_in

from kit import masking
from kit.masking import MaskingUnavailable
from kit.store import Workspace, open_store
from kit.ui import saving
from kit.ui.saving import TEXT_MAX, PageSync, Slot, SyncedText, text_hash

NOTE = "民生委員の田中花子さん（090-1234-5678）が3丁目12番5号に住む方を見守っている"
PERSONAL = ("田中花子", "090-1234-5678", "3丁目12番5号")
HUGE = "あ" * 8_000_000


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "s.sqlite"))


@pytest.fixture
def masking_down(monkeypatch):
    """The masking engine is unreachable, wherever a module calls it from."""
    original = masking.mask_text

    def unavailable(text):
        raise MaskingUnavailable("worker down")

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("kit") and getattr(module, "mask_text", None) is original:
            monkeypatch.setattr(module, "mask_text", unavailable)


def refuse_writes(store) -> None:
    """From now on every write fails as a read-only SQLite file makes it fail."""
    def begin(cur):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    store._begin_write = begin


def stored_bytes(tmp_path) -> bytes:
    return b"".join(path.read_bytes() for path in tmp_path.glob("s.sqlite*"))


def memo(store, name="3班", key="start/memo", **options) -> SyncedText:
    import ipywidgets as widgets

    return SyncedText(widgets.Textarea(), Slot(Workspace(store, name), key), **options)


# --- kit.ui.saving --------------------------------------------------------------------------

def test_a_typed_note_is_masked_on_save_and_the_page_says_what_was_hidden(store, tmp_path):
    note = memo(store)
    note.box.value = NOTE
    saved = Workspace(store, "3班").get("start/memo")
    assert saved == "民生委員の〇〇さん（〈電話番号〉）が〈住所〉に住む方を見守っている"
    assert not any(item.encode() in stored_bytes(tmp_path) for item in PERSONAL)
    status = note.status.value
    assert "保存しました" in status and "氏名 1件" in status and "電話番号 1件" in status and "住所 1件" in status
    assert all(item in status for item in PERSONAL)  # the originals, on the page only
    assert "保存した文章: 民生委員の〇〇さん" in status
    assert note.box.value == NOTE  # nothing is rewritten under the cursor
    assert memo(store).box.value == saved  # what a reload shows


def test_a_text_over_the_limit_is_refused_in_the_kernel_and_nothing_is_stored(store, monkeypatch):
    called = []
    monkeypatch.setattr(masking, "mask_text", lambda text: called.append(text))
    note = memo(store)
    note.box.value = HUGE
    assert f"{TEXT_MAX:,}文字まで" in note.status.value and "保存していません" in note.status.value
    assert "保存しました" not in note.status.value
    assert Workspace(store, "3班").get("start/memo") is None
    assert called == []  # the masking engine never saw it


def test_masking_down_stores_nothing_and_says_so(store, masking_down):
    note = memo(store)
    note.box.value = NOTE
    assert MaskingUnavailable.message in note.status.value and "保存しました" not in note.status.value
    assert Workspace(store, "3班").get("start/memo") is None


def test_a_store_that_cannot_be_written_is_said_and_no_save_is_claimed(store):
    note = memo(store)
    refuse_writes(store)
    note.box.value = "あとで確かめる"
    assert "保存できませんでした" in note.status.value and "保存しました" not in note.status.value


def test_a_stale_edit_never_overwrites_another_devices_save(store, monkeypatch):
    monkeypatch.setattr(saving, "GRACE", 0.0)  # nobody is typing at the moment the page looks
    first, second = memo(store), memo(store)  # two PCs opened the memo while it was empty
    first.box.value = "一台目の文"
    second.box.value = "二台目の文"  # typed over the empty memo it loaded
    assert Workspace(store, "3班").get("start/memo") == "一台目の文"
    assert "別のPC" in second.status.value and "一台目の文" in second.status.value
    assert second.choice.layout.display != "none"

    second.keep_mine()  # having seen the other text
    assert Workspace(store, "3班").get("start/memo") == "二台目の文"
    first.follow()  # the first PC, idle, shows it
    assert first.box.value == "二台目の文" and "別のPCで保存された内容" in first.status.value


def test_taking_the_other_devices_text_replaces_the_box(store):
    first, second = memo(store), memo(store)
    first.box.value = "一台目の文"
    second.box.value = "二台目の文"
    second.take_theirs()
    assert second.box.value == "一台目の文" and Workspace(store, "3班").get("start/memo") == "一台目の文"
    second.box.value = "一台目の文に足した"
    assert Workspace(store, "3班").get("start/memo") == "一台目の文に足した"


def test_a_box_being_typed_in_is_not_replaced_by_another_devices_save(store):
    first, second = memo(store), memo(store)
    second.box.value = "二台目が書いている"
    first.box.value = "一台目の文"  # a stale edit: refused and shown to the first PC
    first.keep_mine()
    second.follow()  # second typed a moment ago: ask instead of replacing
    assert second.box.value == "二台目が書いている"
    assert "一台目の文" in second.status.value and second.choice.layout.display != "none"


def test_typing_that_crossed_another_devices_text_on_the_way_is_not_saved_over_it(store, monkeypatch):
    monkeypatch.setattr(saving, "GRACE", 0.0)
    first, second = memo(store), memo(store)
    first.box.value = "一台目: 坂の上"
    second.follow()
    second.box.value = "二台目: 集会所"
    first.follow()  # shows 二台目's text (first has not typed for a while)...
    monkeypatch.setattr(saving, "GRACE", 60.0)  # ...and this arrives right after
    first.box.value = "一台目: 坂の上の団地"  # but left the browser before the text arrived there
    assert Workspace(store, "3班").get("start/memo") == "二台目: 集会所"
    assert "別のPC" in first.status.value and first.choice.layout.display != "none"


def test_an_edit_of_the_text_another_device_saved_is_saved_at_once(store, monkeypatch):
    monkeypatch.setattr(saving, "GRACE", 0.0)
    first, second = memo(store), memo(store)
    first.box.value = "一台目: 坂の上"
    second.follow()
    monkeypatch.setattr(saving, "GRACE", 60.0)
    second.box.value = "一台目: 坂の上の団地"  # typed over what the page just showed
    assert Workspace(store, "3班").get("start/memo") == "一台目: 坂の上の団地"
    assert "保存しました" in second.status.value


def test_page_sync_calls_its_watchers_only_after_a_write(store):
    workspace = Workspace(store, "3班")
    sync = PageSync(workspace)
    calls = []
    sync.watch(lambda: calls.append(1))
    sync.tick()
    assert calls == []
    workspace.put("start/memo", "x")
    sync.tick()
    sync.tick()
    assert calls == [1]


def test_text_hash_is_fnv1a_over_utf16_units():
    # Values the browser computes for the same text (connection.js).
    assert text_hash("") == "811c9dc5"
    assert text_hash("a") == "e40c292c"
    assert text_hash("𠮷") != text_hash("吉")  # a surrogate pair counts as two units


# --- every page's fields --------------------------------------------------------------------

def test_every_typed_field_is_bounded_before_it_is_saved(store, tmp_path):
    """An 8-million-character field never reaches the store, on any page."""
    from kit.start.screen import StartScreen
    from kit.steps.actors.screen import ActorsScreen
    from kit.steps.assessment.screen import AssessmentScreen
    from kit.steps.cases.screen import CasesScreen
    from shown import shown_html
    from kit.steps.pitch.screen import PitchScreen

    refused = []

    def check(status_html: str, where: str) -> None:
        refused.append(where)
        assert "文字まで" in status_html and "保存していません" in status_html, where

    start = StartScreen(store).open("3班")
    start._memo.value = HUGE
    check(start._memo_status.value, "00 memo")

    assessment = AssessmentScreen(store=store, warm=False).open("3班")
    notice = assessment.memo("notice")
    notice.box.value = HUGE
    check(notice.status.value, "01 memo")
    checklist = assessment.checklist
    checklist.model.name = "みどり野市"
    checklist.model.q2 = HUGE
    checklist.add_current()
    check(shown_html(checklist), "01 checklist Q2")

    cases = CasesScreen(store).open("3班")
    cases.model.set_draft(地区コード="A01", 困りごと=HUGE)
    cases.form.check()
    check(cases.form.preview, "02 form")
    cases.exercise.fill_answers()
    cases.model.selected_cards = (cases.grouping.loose[0][1],)
    cases.model.group_name = "あ" * 300
    cases.grouping.make_group()
    check(cases.grouping.status, "02 group name")
    cases.model.group_name = "坂の上"
    cases.grouping.make_group()
    box = cases.statements.box(cases.model.groups["groups"][0]["id"])
    box.write(HUGE)
    check(box.status, "02 statement")

    actors = ActorsScreen(store).open("3班")
    actors.model.type({"名称": "みどり会", "困っていること": HUGE})
    actors.form.save()
    check(actors.form.status_html, "03 voice")
    actors.partners.write_offer(HUGE)
    check(actors.partners.offer_status_html, "03 offer")
    assert not actors.partners.choose(actors.partners.partner_options[0][1], HUGE)
    check(actors.partners.status_html, "03 partner reason")

    pitch = PitchScreen(store).open("3班")
    find(pitch.canvas, widgets.Textarea, cls="kit-field-ki").value = HUGE
    check(shown(pitch.canvas), "04 canvas")
    find(pitch.materials, widgets.Text, description="何の数字").value = "あ" * 300
    find(pitch.materials, widgets.Button, description="数字を追加").click()
    check(shown(pitch.materials), "04 figure")
    find(pitch.rehearsal, widgets.Text, placeholder="例: 2班").value = "2班"
    for scale in widgets_in(pitch.rehearsal):
        if isinstance(scale, widgets.ToggleButtons) and 3 in scale._options_values:
            scale.value = 3
    find(pitch.rehearsal, widgets.Textarea).value = HUGE
    find(pitch.rehearsal, widgets.Button, description="評価を送る").click()
    check(shown(pitch.rehearsal), "04 review comment")

    find(pitch.materials, widgets.Text, description="名称").value = "あ" * 300
    find(pitch.materials, widgets.Button, description="手入力の連携先を追加").click()
    check(find(pitch.view, cls="kit-pitch-status").value, "04 own partner")

    assert ("あ" * 300).encode() not in stored_bytes(tmp_path)
    assert len(refused) == 13


def test_masking_down_on_each_page_stores_nothing_unmasked(store, masking_down):
    from kit.steps.actors.screen import ActorsScreen
    from kit.steps.cases.screen import CasesScreen
    from kit.steps.pitch.screen import PitchScreen

    cases = CasesScreen(store).open("3班")
    cases.exercise.fill_answers()
    cases.model.selected_cards = (cases.grouping.loose[0][1],)
    cases.model.group_name = "田中さんの件"
    cases.grouping.make_group()
    assert MaskingUnavailable.message in cases.grouping.status
    cases.model.set_draft(地区コード="A01", 本人の望み="散歩", 困りごと=NOTE)
    cases.form.check()
    assert MaskingUnavailable.message in cases.form.preview and not cases.form.can_save

    actors = ActorsScreen(store).open("3班")
    actors.model.type({"名称": "みどり会", "困っていること": NOTE})
    assert actors.form.save() is None and MaskingUnavailable.message in actors.form.status_html

    pitch = PitchScreen(store).open("3班")
    find(pitch.canvas, widgets.Textarea, cls="kit-field-ki").value = NOTE
    assert MaskingUnavailable.message in shown(pitch.canvas)

    text = " ".join(str(value) for ws in store.workspaces() for _, value in store.items(ws))
    assert not any(item in text for item in PERSONAL)
    assert "田中" not in text


def test_pages_say_when_the_store_refuses_a_write(store):
    """02 「この内容で保存」 and 「タグ付けを飛ばす」, 03 「保存する」: each says it failed."""
    from kit.steps.actors.screen import ActorsScreen
    from kit.steps.cases.screen import CasesScreen

    cases = CasesScreen(store).open("3班")
    actors = ActorsScreen(store).open("3班")
    refuse_writes(store)

    cases.model.set_draft(地区コード="A01", 本人の望み="散歩", 困りごと="坂がつらい")
    cases.form.check()
    cases.form.save()
    assert "保存できませんでした" in cases.form.status

    cases.exercise.fill_answers()
    assert "保存できませんでした" in cases.exercise.result and "付けました" not in cases.exercise.result

    actors.model.type({"名称": "みどり会"})
    actors.form.save()
    assert "保存できませんでした" in actors.form.status_html and "保存しました" not in actors.form.status_html


# --- two devices of one team on the structured pages ---------------------------------------------

def test_two_pcs_editing_one_case_in_02_never_overwrite_silently(store):
    from kit.steps.cases.screen import CasesScreen

    first, second = CasesScreen(store).open("3班"), CasesScreen(store).open("3班")
    for screen, text in ((first, "一台目: 坂がつらい"), (second, "二台目: 階段がつらい")):
        screen.model.form_case = "C001"
        screen.model.set_draft(困りごと=text)
        screen.form.check()
    first.form.save()
    second.form.save()
    stored = Workspace(store, "3班").get_table("data/cases").set_index("事例ID")
    assert stored.loc["C001", "困りごと"] == "一台目: 坂がつらい"
    assert "別のPC" in second.form.status and "一台目: 坂がつらい" in second.form.status
    second.form.save(force=True)  # 自分の内容で上書きする
    stored = Workspace(store, "3班").get_table("data/cases").set_index("事例ID")
    assert stored.loc["C001", "困りごと"] == "二台目: 階段がつらい"


def test_two_pcs_adding_cases_in_02_keep_both(store):
    from kit.steps.cases.screen import CasesScreen

    first, second = CasesScreen(store).open("3班"), CasesScreen(store).open("3班")
    for screen, wish in ((first, "畑を続けたい"), (second, "孫に会いに行きたい")):
        screen.model.set_draft(地区コード="A02", 本人の望み=wish, 困りごと="足が弱った")
        screen.form.check()
        screen.form.save()
    wishes = Workspace(store, "3班").get_table("data/cases")["本人の望み"].tolist()
    assert "畑を続けたい" in wishes and "孫に会いに行きたい" in wishes
    assert second.model.reload() is False  # its own save already read the first PC's case
    assert first.model.reload() is True and "孫に会いに行きたい" in first.cards.html


def test_two_pcs_editing_one_actor_in_03_never_overwrite_silently(store):
    from kit.steps.actors.screen import ActorsScreen

    first, second = ActorsScreen(store).open("3班"), ActorsScreen(store).open("3班")
    actor = first.model.actors["主体ID"].iloc[0]
    for screen, text in ((first, "一台目のメモ"), (second, "二台目のメモ")):
        screen.model.show_record(actor)
        screen.model.type({"困っていること": text})
    assert first.form.save() == actor
    assert second.form.save() is None
    assert "別のPC" in second.form.status_html and "一台目のメモ" in second.form.status_html
    stored = Workspace(store, "3班").get_table("data/actors").set_index("主体ID")
    assert stored.loc[actor, "困っていること"] == "一台目のメモ"


def test_two_pcs_in_03_and_04_keep_each_others_additions(store):
    from kit.steps.actors.screen import ActorsScreen
    from kit.steps.pitch.screen import PitchScreen

    first, second = ActorsScreen(store).open("3班"), ActorsScreen(store).open("3班")
    issues = [issue.id for issue in first.model.issues[:2]]
    first.model.issue, second.model.issue = issues
    first.partners.write_offer("集会所を貸せます")
    second.partners.write_offer("広報紙に載せます")
    assert Workspace(store, "3班").get("actors/offers") == dict(zip(issues, ["集会所を貸せます", "広報紙に載せます"]))

    one, two = PitchScreen(store).open("3班"), PitchScreen(store).open("3班")
    for screen, label in ((one, "一台目の数字"), (two, "二台目の数字")):
        find(screen.materials, widgets.Text, description="何の数字").value = label
        find(screen.materials, widgets.FloatText, description="値").value = 10
        find(screen.materials, widgets.Button, description="数字を追加").click()
    labels = [figure.label for figure in two.model.pitch.figures]
    assert labels == ["一台目の数字", "二台目の数字"]
    assert "二台目の数字" not in shown(one.materials)
    one.sync.tick()  # the page's look at the workspace, every few seconds
    assert "二台目の数字" in shown(one.materials)
    assert "別のPCで保存された内容を表示しています" in find(one.view, cls="kit-pitch-status").value
