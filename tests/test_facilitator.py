"""The facilitator's side without a browser: progress read from what the screens
store, the plenary gallery, the export after the session, and a dashboard that
does nothing until its passphrase is given."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta, timezone
from itertools import count

import ipywidgets as widgets
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from widget_tree import control, html_of, html_with

from kit import attempts, datasets
from kit import workshop as wk
from kit.export import to_xlsx
from kit.facilitator import progress
from kit.facilitator.export import pitch_files, workshop_sheets
from kit.facilitator.model import DashboardModel
from kit.facilitator.screen import FacilitatorScreen
from kit.facilitator.views.gallery import gallery_html
from kit.facilitator.views.progress import progress_html
from kit.limits import ATTEMPT_WAIT_FIRST, ATTEMPTS_FREE
from kit.pages import STEPS
from kit.start import self_assessment as sa
from kit.start.model import record
from kit.steps.cases import model as cases
from kit.steps.cases.issues import sample_issues
from kit.steps.cases.model import save_issues
from kit.steps.pitch.model import save_field
from kit.store import SQLiteStore

PASSPHRASE = "みどり野 研修 2025"
PHONE = "090-1234-5678"
STEP_FILES = [page.file for page in STEPS]


@pytest.fixture
def store(tmp_path):
    ticks = count()
    start = datetime(2025, 10, 1, 4, 0, tzinfo=timezone.utc)
    # Each write one second after the last: "the step written to most recently" is certain.
    return SQLiteStore(tmp_path / "s.sqlite", clock=lambda: start + timedelta(seconds=next(ticks)))


@pytest.fixture
def teams(store):
    """A workshop with team A far along, team B only joined."""
    from kit.steps.actors.model import CHOSEN_KEY, OFFERS_KEY
    from kit.steps.assessment.model import memo_key

    workshop = wk.create_workshop(store, "研修")
    a, b = (wk.resolve_access(store, wk.join(store, workshop.code, name).access) for name in ("A班", "B班"))
    a.put(memo_key("A05", "notice"), f"奥沢は移動の困りごとが多い。民生委員の山田花子さん（{PHONE}）に確認")
    a.put(memo_key("A03", "why"), "")
    a.put(cases.TAGS_KEY, {"C008": ["移動", "医療"], "C009": ["買物"]})
    a.put(cases.GROUPS_KEY, {"next": 2, "groups": [{"id": "G1", "name": "奥沢の足", "cards": ["C008|移動"]}]})
    save_issues(a, list(sample_issues()[:2]))
    a.put(OFFERS_KEY, {"K01": "集会所を使えるよう自治会に話します", "K02": " "})
    a.put(CHOSEN_KEY, [{"issue_id": "K01", "actor_id": "S002", "name": "みどり野ストア桜台店",
                        "reason": f"坂の上への配達を試したいと店長の山田花子さん（{PHONE}）が話していた"}])
    save_field(a, "ki", f"奥沢の山田花子さん（{PHONE}）は重い物が買えません。")
    record(a, "pre", dict.fromkeys((k for k, _, _ in sa.QUESTIONS), 2))
    return wk.find_workshop(store, workshop.code), a, b


def test_progress_says_what_each_team_did_and_where_it_is(store, teams):
    workshop, a, b = teams
    far = progress.team_progress(a, "A班", workshop.joined("A班"))
    assert [far.status[f] for f in STEP_FILES] == ["済", "済", "済", "作業中"]
    details = [far.detail(f) for f in STEP_FILES]
    assert details[:3] == ["メモ 1圏域", "タグ 2件・グループ 1・地域課題 2", "見本のリスト・提供できること 1件"]
    assert far.current_step == "04_pitch.ipynb" and details[3].startswith("チェック残り") and far.pre == 1
    idle = progress.team_progress(b, "B班", workshop.joined("B班"))
    assert [idle.status[f] for f in STEP_FILES] == ["未着手"] * 4 and idle.last_activity is None
    table = progress.progress_table([far, idle])
    assert table["チーム"].tolist() == ["A班", "B班"]
    assert table.loc[0, "個別事例から地域課題へ"].startswith("済（タグ 2件・グループ 1・地域課題 2")
    shown = progress_html([far, idle])
    assert "参加 <b>2</b> チーム" in shown and shown.count("kit-step-済") == 3


def test_the_gallery_shows_issues_and_story_without_personal_data(teams):
    workshop, a, b = teams
    entries = [progress.gallery_entry(ws, ws.team) for ws in (a, b)]
    shown = gallery_html(entries)
    assert sample_issues()[0].statement[:15] in shown and "重い物が買えません" in shown
    assert "山田花子" not in shown and PHONE not in shown
    assert "地域課題はまだ保存されていません" in gallery_html(entries, "B班")
    assert "A班" not in gallery_html(entries, "B班")


def test_the_gallery_shows_the_partners_a_team_chose_and_why(teams):
    _workshop, a, b = teams
    shown = gallery_html([progress.gallery_entry(a, "A班")])
    assert "選んだ連携先" in shown and "みどり野ストア桜台店" in shown and "坂の上への配達を試したい" in shown
    assert "山田花子" not in shown and PHONE not in shown
    assert "連携先はまだ選ばれていません" in gallery_html([progress.gallery_entry(b, "B班")])


def test_the_export_holds_every_team_masked_and_opens_in_excel(store, teams):
    workshop, a, _b = teams
    a.put_table("data/actors", datasets.sample("actors").head(3))
    sheets = workshop_sheets(store, workshop)
    assert sheets["進み具合"]["チーム"].tolist() == ["A班", "B班"]
    assert sheets["地域課題"]["課題ID"].tolist() == [i.id for i in sample_issues()[:2]]
    memo = sheets["気づきメモ"]
    assert memo["地区"].tolist() == ["奥沢"] and PHONE not in memo["メモ"].iloc[0]
    assert "電話" not in sheets["主体リスト"].columns and len(sheets["主体リスト"]) == 3
    assert sheets["提供できること"]["課題ID"].tolist() == ["K01"]
    chosen = sheets["選んだ連携先"]
    assert chosen["名称"].tolist() == ["みどり野ストア桜台店"] and PHONE not in chosen["理由"].iloc[0]
    assert sheets["理解度"].loc[0, "事前 人数"] == 1
    book = load_workbook(io.BytesIO(to_xlsx(sheets)))
    assert book.sheetnames[:3] == ["進み具合", "理解度", "理解度_回答"]
    assert not any(PHONE in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)


def test_pitch_files_hold_each_started_pitch_as_slides_and_one_pager(store, teams):
    workshop, _a, _b = teams
    data, names = pitch_files(store, workshop, date(2025, 10, 1))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert names == ["A班"] and sorted(archive.namelist()) == [
        "提案1枚まとめ_A班_2025-10-01.html", "提案_A班_2025-10-01.pptx"]
    slides = Presentation(io.BytesIO(archive.read("提案_A班_2025-10-01.pptx")))
    text = "\n".join(shape.text_frame.text for slide in slides.slides for shape in slide.shapes
                     if shape.has_text_frame)
    assert "重い物が買えません" in text and "A班" in text and PHONE not in text and "@" not in text


def test_nothing_works_before_the_passphrase(store, teams):
    workshop, _a, _b = teams
    model = DashboardModel(store, PASSPHRASE)
    for action in (model.workshops, lambda: model.create("x"), lambda: model.select(workshop.code)):
        with pytest.raises(PermissionError):
            action()
    assert not model.unlock("ちがう")
    assert model.unlock(PASSPHRASE)
    model.select(workshop.code)
    assert [p.team for p in model.progress()] == ["A班", "B班"]


def test_wrong_passphrases_slow_down_across_reloads_and_are_logged(store, monkeypatch, capfd):
    now = [datetime(2025, 10, 1, 13, 0, tzinfo=timezone.utc)]
    monkeypatch.setattr(attempts, "_now", lambda: now[0])
    page = DashboardModel(store, PASSPHRASE)
    for _ in range(ATTEMPTS_FREE):
        assert not page.unlock("ちがう")
    reloaded = DashboardModel(store, PASSPHRASE)  # a reload: another kernel, the same store
    assert reloaded.wait() == ATTEMPT_WAIT_FIRST
    assert not reloaded.unlock(PASSPHRASE)  # even the right one waits ...
    screen = FacilitatorScreen(store, environ={wk.PASSPHRASE_ENV: PASSPHRASE}).open()
    assert "あと5秒は受け付けません" in html_of(screen.view)  # ... and a new page says so at once
    now[0] += timedelta(seconds=ATTEMPT_WAIT_FIRST)
    assert reloaded.unlock(PASSPHRASE) and reloaded.earlier_failures == ATTEMPTS_FREE
    console = capfd.readouterr().err
    assert console.count("合言葉がまちがっていました") == ATTEMPTS_FREE and "続けて3回目、次は5秒後から" in console
    assert "待ち時間中に入れられました" in console
    assert PASSPHRASE not in console and "ちがう" not in console
    assert DashboardModel(store, PASSPHRASE).wait() == 0  # the right one cleared the count


def test_a_passphrase_too_short_opens_nothing(store):
    screen = FacilitatorScreen(store, environ={wk.PASSPHRASE_ENV: "1234"}).open()
    assert "短すぎます" in html_of(screen.view) and not screen.model.unlock("1234")


def test_the_page_without_a_passphrase_configured_says_how_to_set_one(store):
    screen = FacilitatorScreen(store, environ={}).open()
    text = html_of(screen.view)
    assert "--facilitator-passphrase" in text and "KIT_FACILITATOR_PASSPHRASE" in text
    assert screen.tabs is None


def test_the_dashboard_opens_with_the_passphrase_and_manages_a_team(store, teams):
    workshop, a, _b = teams
    screen = FacilitatorScreen(store, environ={wk.PASSPHRASE_ENV: PASSPHRASE}).open()
    assert screen.tabs is None  # no dashboard widget exists before the passphrase
    password, enter = control(screen.view, placeholder="合言葉"), control(screen.view, "開く")
    password.value = "ちがう"
    enter.click()
    assert "ちがいます" in html_of(screen.view) and screen.tabs is None
    password.value = PASSPHRASE
    enter.click()
    assert screen.tabs is not None and password.value == ""  # the passphrase is not kept in the page
    assert workshop.code in html_with(screen.view, "kit-workshop-code")
    assert "A班" in html_with(screen.view, "kit-progress")

    screen.tabs.selected_index = 4
    control(screen.view, "チーム").value = "A班"
    control(screen.view, kind=widgets.RadioButtons).value = "reset"
    run = control(screen.view, "実行する")
    assert run.disabled  # confirmation first
    control(screen.view, "取り消せないことを確かめました").value = True
    run.click()
    assert "リセットしました" in html_of(screen.view)
    assert a.keys() == ["self/pre"] and run.disabled

    screen.tabs.selected_index = 2
    control(screen.view, "分").value = 5
    control(screen.view, "いまの作業").value = "発表の準備"
    control(screen.view, "開始").click()
    assert wk.find_workshop(store, workshop.code).timer.label == "発表の準備"
    assert "発表の準備" in html_with(screen.view, 'class="kit-timer ')
