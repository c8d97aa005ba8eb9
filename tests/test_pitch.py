"""The pitch: ingredients from the sample town, completeness prompts, 三方よし,
personal data, saving, peer review, and the screen driven without a browser."""

import base64
import io
import json
import re
from dataclasses import replace

import ipywidgets as widgets
import pytest
from pitch_fixtures import ISSUE, find, model_pitch, shown, widgets_in
from pptx import Presentation

from kit import datasets
from kit.paths import NOTEBOOKS
from kit.steps.cases.model import save_issues
from kit.steps.pitch.domain import (
    RUBRIC,
    Figure,
    Pitch,
    TownTables,
    check,
    masked,
    partner_from_actor,
    partner_options,
    rank_cases,
    review_summary,
    story_from_case,
    suggested_figures,
)
from kit.steps.pitch.model import REVIEWS_KEY, load_pitch, save_field, submit_review
from kit.store import Workspace, open_store
from kit.vocab import THREE_WAY_GAINS


def prompts(pitch: Pitch) -> list[str]:
    return [prompt.text for prompt in check(pitch)]


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "s.sqlite"))


@pytest.fixture(scope="module")
def areas():
    table = datasets.sample("areas")
    return dict(zip(table["地区コード"], table["地区名"]))


# --- completeness -----------------------------------------------------------------------

def test_an_empty_pitch_asks_for_each_ingredient():
    texts = prompts(Pitch())
    assert "需要の大きさを示す数字がありません。地域診断から、対象地区の数字を1つ以上入れましょう。" in texts
    assert any(text.startswith("連携先が得るものがまだ書かれていません") for text in texts)
    assert any("一人の物語がありません" in text for text in texts)
    assert any("連携先がまだ選ばれていません" in text for text in texts)
    for part in "起承転結":
        assert any(text.startswith(f"{part}（") for text in texts)


def test_the_worked_example_is_complete():
    assert check(model_pitch()) == []


def test_a_partner_gain_of_goodwill_only_is_challenged():
    pitch = replace(model_pitch(), gain_partner="地域への社会貢献になる")
    assert any("「社会貢献」だけ" in text for text in prompts(pitch))
    better = replace(pitch, gain_partner="社会貢献になり、常連のお客様が通い続ける")
    assert not any("社会貢献" in text for text in prompts(better))


def test_missing_partner_gain_quotes_what_the_partner_values():
    pitch = replace(model_pitch(), gain_partner="")
    text = next(text for text in prompts(pitch) if text.startswith("連携先が得るもの"))
    assert "立ち話の場" in text  # S004's 価値を感じていること


def test_a_proposal_that_never_names_the_partner_is_pointed_out():
    pitch = replace(model_pitch(), ten="移動販売の停車時間を延ばしてもらう")
    assert "転（提案）に連携先の名前が出てきません。誰に何をお願いするのかを書きましょう。" in prompts(pitch)


def test_a_schedule_without_any_time_is_pointed_out():
    pitch = replace(model_pitch(), schedule="協議体で話して、試してみる")
    assert any("スケジュールに時期が書かれていません" in text for text in prompts(pitch))


def test_a_figure_without_source_is_named():
    figure = Figure("奥沢の買物困難者", 120, "人")
    pitch = replace(model_pitch(), figures=(figure,))
    assert "数字「奥沢の買物困難者」の出典が書かれていません。聞かれたときに答えられるようにしましょう。" in prompts(pitch)


def test_each_missing_resource_is_named():
    pitch = replace(model_pitch(), money="", things="")
    texts = prompts(pitch)
    assert "準備するリソースの「カネ」がまだ書かれていません。" in texts
    assert "準備するリソースの「モノ」がまだ書かれていません。" in texts
    assert not any("「ヒト」" in text for text in texts)


def test_the_chosen_issue_stands_in_for_an_unwritten_goal():
    pitch = replace(model_pitch(), goal="")
    assert pitch.goal_text == ISSUE.statement
    assert not any("地域課題がまだ決まっていません" in text for text in prompts(pitch))
    assert any("地域課題がまだ決まっていません" in text for text in prompts(replace(pitch, issue=None)))


# --- 三方よし and the skeleton ------------------------------------------------------------

def test_three_way_gains_name_the_three_parties_of_the_seed():
    labels = [label for label, _ in model_pitch().gains()]
    for party, label in zip(THREE_WAY_GAINS, labels):
        assert party in label
    assert [text for _, text in Pitch(gain_elders="重い物も買える").gains()] == ["", "重い物も買える", ""]


def test_skeleton_has_the_five_guidebook_items_with_people_things_money_together():
    skeleton = dict(model_pitch().skeleton())
    assert list(skeleton) == ["解決を目指す地域課題", "活用できる既存事業・取組", "準備するリソース（ヒト・モノ・カネ）",
                              "役割分担", "立ち上げまでのスケジュール"]
    resources = skeleton["準備するリソース（ヒト・モノ・カネ）"]
    assert resources.startswith("ヒト: ") and "\nモノ: " in resources and "\nカネ: " in resources


# --- ingredients from the sample town -------------------------------------------------------

def test_the_issue_cases_come_first(areas):
    ranked = rank_cases(datasets.sample("cases"), ISSUE)
    count = len(ISSUE.case_ids)
    assert set(ranked["事例ID"][:count]) == set(ISSUE.case_ids)
    assert len(ranked) == len(datasets.sample("cases"))


def test_partner_options_put_candidates_first_and_list_every_actor_once(areas):
    actors = datasets.sample("actors")
    options = partner_options(actors, ISSUE, areas)
    ids = [actor_id for _, actor_id in options]
    assert sorted(ids) == sorted(actors["主体ID"])
    assert "S004" in ids[:5]
    assert "候補" in options[0][0]


def test_a_partner_card_carries_no_contact_data():
    actors = datasets.sample("actors")
    actor = actors[actors["主体ID"] == "S001"].iloc[0]
    card = json.dumps(partner_from_actor(actors, "S001").__dict__, ensure_ascii=False)
    assert actor["担当者"] not in card and actor["電話"] not in card and actor["メール"] not in card
    with pytest.raises(KeyError, match="ありません"):
        partner_from_actor(actors, "S999")


def test_a_story_hides_personal_data_written_in_the_case(areas):
    case = datasets.sample("cases").iloc[0].copy()
    case["本人の望み"] = "長男の太郎さん（090-1234-5678）の近くで暮らしたい"
    story = story_from_case(case, areas)
    assert "太郎" not in story.text() and "090-1234-5678" not in story.text()
    assert "暮らしたい" in story.wish
    assert story.profile.startswith("中央・75-79歳・男・独居・自立")


def test_suggested_figures_show_okusawa_against_the_town(areas):
    figures = suggested_figures(TownTables.derive(datasets.sample("population"), datasets.sample("certification"),
                                                     datasets.sample("areas")), ISSUE)
    ageing = next(f for f in figures if "高齢化率" in f.label)
    assert ageing.label.startswith("奥沢") and ageing.value > ageing.town_value
    assert all(f.source and f.town_value is not None for f in figures)


def test_the_notebook_model_answer_quotes_the_sample_towns_figures():
    """The figures in the collapsible model answer are those the page suggests."""
    notebook = json.loads((NOTEBOOKS / "04_pitch.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    figures = model_pitch().figures
    ageing = next(f for f in figures if "高齢化率" in f.label)
    assert f"奥沢の高齢化率 {ageing.value:.1f}%（市全体 {ageing.town_value:.1f}%" in text
    oldest = next(f for f in figures if "85歳以上" in f.label)
    assert f"{oldest.town_value:,.0f}人から {oldest.value:,.0f}人に" in text


# --- personal data in exports ---------------------------------------------------------------

def test_masking_for_export_hides_people_but_keeps_the_partner_and_customers():
    pitch = replace(model_pitch(), ki="奥沢の田中ハナさん（0561-23-4567）は買物に行けない。",
                    gain_partner="お客様が通い続ける")
    clean, counts = masked(pitch)
    assert "田中" not in clean.ki and "0561-23-4567" not in clean.ki
    assert counts == {"電話番号": 1, "氏名": 1}
    assert "こだま食品さん" in clean.ten and clean.gain_partner == "お客様が通い続ける"


# --- saving -----------------------------------------------------------------------------------

def test_every_part_is_saved_and_read_back_as_it_was(store):
    workspace = Workspace(store, "3班")
    pitch = model_pitch()
    for name in ("issue", "figures", "story", "partners", "cross_sector", "standard", "ki", "money"):
        save_field(workspace, name, getattr(pitch, name))
    back = load_pitch(workspace)
    assert back.team == "3班"
    for name in ("issue", "figures", "story", "partners", "cross_sector", "standard", "ki", "money"):
        assert getattr(back, name) == getattr(pitch, name), name
    assert back.ten == ""


def test_a_cleared_choice_is_saved_as_cleared(store):
    workspace = Workspace(store, "3班")
    save_field(workspace, "story", model_pitch().story)
    save_field(workspace, "story", None)
    assert load_pitch(workspace).story is None


# --- peer review ------------------------------------------------------------------------------

FULL = {key: 3 for key, _ in RUBRIC}


def test_a_review_is_saved_under_the_reviewed_team_and_a_second_one_replaces_it(store):
    submit_review(store, "2班", "3班", FULL, "数字が分かりやすい")
    submit_review(store, "2班", "3班", {**FULL, "first_step": 1}, "最初の一歩が見えない")
    submit_review(store, "2班", "4班", {key: 4 for key in FULL}, "")
    reviews = Workspace(store, "2班").get(REVIEWS_KEY)
    assert set(reviews) == {"3班", "4班"}
    assert reviews["3班"]["comment"] == "最初の一歩が見えない"
    summary = review_summary(reviews).set_index("観点")
    assert summary.loc["最初の一歩が実行できそうか", "平均"] == 2.5
    assert Workspace(store, "3班").get(REVIEWS_KEY) is None


def test_a_team_cannot_review_itself_and_unscored_questions_are_named(store):
    with pytest.raises(ValueError, match="自分のチーム"):
        submit_review(store, "３班", "3班", FULL, "")
    with pytest.raises(ValueError, match="連携先にとっての得が見えるか"):
        submit_review(store, "2班", "3班", {**FULL, "partner_gain": None}, "")


# --- the screen, without a browser: driven by what a user sees --------------------------------

@pytest.fixture
def screen(store):
    from kit.steps.pitch.screen import PitchScreen

    return PitchScreen(store).open("3班")  # the sample town's issues: notebook 02 was skipped


def prompt_count(screen) -> int:
    found = re.search(r'kit-prompt-count">(\d+)<', shown(screen.view))
    return int(found.group(1)) if found else 0


def issue_list(page) -> widgets.Dropdown:
    return find(page.view, widgets.Dropdown, description="地域課題")


def case_list(page) -> widgets.Dropdown:
    return find(page.view, widgets.Dropdown, description="事例")


def partner_list(page) -> widgets.SelectMultiple:
    return find(page.view, widgets.SelectMultiple)


def canvas_box(page, name: str) -> widgets.Textarea:
    return find(page.view, widgets.Textarea, cls=f"kit-field-{name}")


def click(root, label: str) -> None:
    find(root, widgets.Button, description=label).click()


def status(page) -> str:
    return find(page.view, cls="kit-pitch-status").value


def test_choosing_ingredients_saves_them_and_the_prompts_shrink(screen, store):
    before = prompt_count(screen)
    issue_list(screen).value = ISSUE.id
    assert {case_id for _, case_id in case_list(screen).options[1:6]} == set(ISSUE.case_ids)
    case_list(screen).value = "C009"
    assert "米や灯油" in shown(screen.view)
    partner_list(screen).value = ("S004",)
    click(screen.view, "この数字を追加")
    canvas_box(screen, "gain_partner").value = "常連のお客様が長く通い続ける"
    assert prompt_count(screen) == before - 5  # issue, figure, story, partner, partner's gain
    saved = load_pitch(Workspace(store, "3班"))
    assert saved.story.case_id == "C009" and saved.partners[0].actor_id == "S004"
    assert saved.figures and saved.gain_partner == "常連のお客様が長く通い続ける"
    assert "保存しました" in status(screen)


def test_opening_the_page_saves_nothing(screen, store):
    """Showing what is stored is no edit: a team that only looks has not started 04."""
    assert Workspace(store, "3班").keys("pitch/") == []


def test_cases_are_ranked_by_the_tags_confirmed_in_02(store):
    """A case the team tagged 移動・医療・買物 in 02 comes right after the issue's own
    cases, though its file says 居場所・就労; one whose 買物・移動 the team took off falls back."""
    from kit.steps.pitch.screen import PitchScreen

    # The tags a team confirmed in 02, as 02 stores them.
    Workspace(store, "3班").put("cases/tags", {"C001": ["移動", "医療", "買物"], "C002": ["健康"]})
    page = PitchScreen(store).open("3班")
    issue_list(page).value = ISSUE.id
    options = case_list(page).options
    ranked = [case_id for _, case_id in options]
    assert ranked[len(ISSUE.case_ids) + 1] == "C001"
    assert ranked.index("C013") < ranked.index("C002")  # the file's 買物・移動 no longer count
    assert dict((case_id, label) for label, case_id in options)["C001"].endswith("— 買物・移動・医療")  # in the vocabulary's order


def test_partner_choice_offers_the_partners_chosen_in_03_first_with_their_reason(store):
    from kit.steps.pitch.screen import PitchScreen

    # What 03 stores when the team chooses partners for its issues (kit.steps.actors.model).
    Workspace(store, "3班").put("actors/chosen", [
        {"issue_id": "K02", "actor_id": "S015", "name": "みどり野信用金庫", "reason": "見守り協定がある"},
        {"issue_id": "K01", "actor_id": "S010", "name": "株式会社奥沢温泉 山のゆ",
         "reason": "送迎バスが毎日奥沢を回っている"}])
    page = PitchScreen(store).open("3班")
    issue_list(page).value = ISSUE.id
    options = partner_list(page).options
    assert options[0] == ("株式会社奥沢温泉 山のゆ（民間企業）— チームが選んだ連携先: 送迎バスが毎日奥沢を回っている", "S010")
    assert "候補" in options[1][0] and "S004" in [actor_id for _, actor_id in options[:6]]
    assert sorted(actor_id for _, actor_id in options) == sorted(datasets.sample("actors")["主体ID"])
    partner_list(page).value = ("S010",)
    assert load_pitch(Workspace(store, "3班")).partners[0].name == "株式会社奥沢温泉 山のゆ"


def test_a_population_without_counted_years_says_figures_are_to_be_typed(store):
    from kit.steps.pitch.screen import PitchScreen

    projected_only = datasets.sample("population").assign(区分="推計")  # no counted year to compare with
    Workspace(store, "3班").put_table(datasets.table_key("population"), projected_only)
    screen = PitchScreen(store).open("3班")
    issue_list(screen).value = ISSUE.id
    suggest = find(screen.view, widgets.Dropdown, description="地域診断から")
    assert suggest.options == () and suggest.value is None
    assert "実績の年がありません" in shown(screen.materials)
    assert {case_id for _, case_id in case_list(screen).options[1:6]} == set(ISSUE.case_ids)


def amounts(page) -> list[widgets.FloatText]:
    return [w for w in widgets_in(page.numbers) if "kit-cs-amount" in getattr(w, "_dom_classes", ())]


def test_a_reopened_page_shows_what_was_saved(screen, store):
    from kit.steps.pitch.screen import PitchScreen

    issue_list(screen).value = ISSUE.id
    case_list(screen).value = "C012"
    partner_list(screen).value = ("S004", "S037")
    canvas_box(screen, "ki").value = "夫婦で買物と通院を続けたい"
    find(screen.view, widgets.FloatText, description="財政支出").value = 300
    click(screen.numbers, "代替費用の行を追加")
    amounts(screen)[0].value = 420
    again = PitchScreen(store).open("3班")
    assert (issue_list(again).value, case_list(again).value) == (ISSUE.id, "C012")
    assert set(partner_list(again).value) == {"S004", "S037"}
    assert canvas_box(again, "ki").value == "夫婦で買物と通院を続けたい"
    assert find(again.view, widgets.FloatText, description="財政支出").value == 300
    assert amounts(again)[0].value == 420
    assert "クロスセクター効果は 120万円/年" in shown(again.numbers)


def test_fukusaki_example_fills_the_calculator(screen, store):
    click(screen.numbers, "福崎町の例を入れる")
    assert find(screen.view, widgets.FloatText, description="財政支出").value == 1600
    assert "730万円/年" in shown(screen.numbers)
    assert load_pitch(Workspace(store, "3班")).cross_sector.effect == 730


def test_standard_amounts_start_from_the_towns_areas_and_follow_the_wards(screen, store):
    assert find(screen.numbers, widgets.BoundedIntText, description="日常生活圏域").value == 5
    assert "32,000千円" in shown(screen.numbers)
    find(screen.numbers, widgets.Checkbox).value = True
    kind = find(screen.numbers, widgets.RadioButtons)
    kind.value = kind.options[1]
    find(screen.numbers, widgets.BoundedIntText, description="数").value = 4
    assert load_pitch(Workspace(store, "3班")).standard.wards == 4
    assert f"{8_000 * 4 + 4_000 * 5 + 4_000 * 4:,}千円" in shown(screen.numbers)


def downloaded(screen) -> bytes:
    encoded = re.search(r'href="data:[^;]+;base64,([^"]+)"', shown(screen.exports)).group(1)
    return base64.b64decode(encoded)


def test_exports_are_offered_as_downloads_with_personal_data_hidden(screen):
    canvas_box(screen, "ki").value = "田中ハナさんは買物に行けない"
    assert "氏名 1件" in shown(screen.canvas)  # masked as it was saved, and said so
    click(screen.exports, "PowerPoint をつくる")
    assert 'download="提案_3班_' in shown(screen.exports) and ".pptx" in shown(screen.exports)
    deck = Presentation(io.BytesIO(downloaded(screen)))
    text = "".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "〇〇さんは買物に行けない" in text and "田中" not in text
    click(screen.exports, "1枚まとめ（印刷用）をつくる")
    page = downloaded(screen).decode("utf-8")
    assert "〇〇さんは買物に行けない" in page and "田中" not in page


def test_timer_turns_amber_in_the_last_minute_and_red_at_the_end(screen):
    length = find(screen.rehearsal, widgets.ToggleButtons)
    play = find(screen.rehearsal, widgets.Play)
    length.value = 300
    play.value = 100
    assert "3:20" in shown(screen.rehearsal) and "kit-timer-run" in shown(screen.rehearsal)
    play.value = 250
    assert "0:50" in shown(screen.rehearsal) and "残り1分" in shown(screen.rehearsal)
    assert "kit-timer-last" in shown(screen.rehearsal)
    play.value = 300
    assert "時間です" in shown(screen.rehearsal) and "kit-timer-up" in shown(screen.rehearsal)
    length.value = 180
    assert play.value == 0 and "3:00" in shown(screen.rehearsal)


def test_a_review_sent_from_the_page_reaches_the_other_team(screen, store):
    from kit.steps.pitch.screen import PitchScreen

    find(screen.rehearsal, widgets.Text, placeholder="例: 2班").value = "2班"
    click(screen.rehearsal, "評価を送る")
    assert "まだ点をつけていない" in shown(screen.rehearsal)
    for scale in widgets_in(screen.rehearsal):
        if isinstance(scale, widgets.ToggleButtons) and 4 in scale._options_values:
            scale.value = 4
    find(screen.rehearsal, widgets.Textarea).value = "連携先の得が具体的"
    click(screen.rehearsal, "評価を送る")
    assert "「2班」への評価を保存しました" in shown(screen.rehearsal)
    other = PitchScreen(store).open("2班")
    assert "連携先の得が具体的" in shown(other.rehearsal) and "4.0" in shown(other.rehearsal)


def test_issues_written_in_notebook_02_are_offered(store):
    from kit.steps.pitch.screen import PitchScreen

    own = replace(ISSUE, id="T01", statement="駅東の買物")
    save_issues(Workspace(store, "3班"), [own])
    page = PitchScreen(store).open("3班")
    assert [label for label, _ in issue_list(page).options] == ["（選ばない）", "T01 駅東の買物"]


def test_a_bad_workspace_name_shows_the_banner_only(store):
    from kit.steps.pitch.screen import PitchScreen

    page = PitchScreen(store).open("a/b")
    assert "kit-error" in page._banner.value and page.workspace is None
