"""Tab 「2 登録・編集」: one actor at a time, kept as a draft while it is typed.

The fields show the model's ``draft`` (one :meth:`FormView._show` per change) and
hand what is typed to :meth:`ActorsModel.type`; free text is masked here, before
the model stores the draft or the record."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from kit import vocab
from kit.io.normalize import normalize_text
from kit.steps.actors import domain as act
from kit.steps.actors.model import DRAFT_KEY, ActorsModel
from kit.steps.actors.views import cell_html, options
from kit.ui.common import message
from kit.ui.controls import CheckGroup, heading
from kit.ui.saving import (
    LINE_MAX,
    PAUSE,
    SAVE_ERRORS,
    TEXT_MAX,
    Choice,
    attempt,
    check_length,
    failure_html,
    keep,
    later,
    mark_saved,
    mask_for_saving,
    masked_notice,
)

__all__ = ["FormView", "mask_record"]

PICK_LIMIT = 50         # actors offered at once in the edit picker
_NEW = ""
# Typed in the form; the contact columns (担当者, 電話, メール) and the address are
# kept as typed on purpose: they are the list's contact data, left out of exports
# unless asked for.
_LINE_FIELDS = ("名称", "業種", "担当者", "電話", "メール", "住所", "緯度", "経度")


def mask_record(record: dict) -> tuple[dict, list]:
    """``record`` with its free text (本業・サービス内容 and the four voices) masked,
    after every typed field's length is checked; and what was masked, as
    (欄, Masked) pairs. Raises TooLong or MaskingUnavailable."""
    for column in _LINE_FIELDS:
        check_length(act.text(record.get(column)), LINE_MAX, column)
    masked, found = dict(record), []
    for column in act.FREE_TEXT_COLUMNS:
        result = mask_for_saving(act.text(record.get(column)), TEXT_MAX, column)
        masked[column] = result.text
        found += [(column, item) for item in result.found]
    return masked, found


def _line(placeholder: str = "") -> widgets.Text:
    return widgets.Text(placeholder=placeholder, layout=widgets.Layout(width="24em"))


def _note(placeholder: str = "") -> widgets.Textarea:
    return widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="4.5em"))


def _section(title: str, *children: widgets.Widget, note: str = "") -> widgets.VBox:
    return widgets.VBox([heading(title, note), *children])


class FormView(widgets.VBox):
    """The picker, the fields and the buttons that save or delete one actor."""

    def __init__(self, today: Callable[[], date]):
        self._today = today
        self.model: ActorsModel | None = None
        self._timer = None
        self._pick_query = widgets.Text(placeholder="名称・IDで探す", layout=widgets.Layout(width="16em"))
        self._pick = widgets.Dropdown(options=[("（新しい主体を追加）", _NEW)], layout=widgets.Layout(width="28em"))
        self._fields: dict[str, widgets.Widget] = {
            "名称": _line("例: みどり野ストア駅東店"),
            "主体種別": widgets.Dropdown(options=options(vocab.ACTOR_TYPES, "（選ぶ）")),
            "業種": widgets.Combobox(options=vocab.INDUSTRIES, placeholder="日本標準産業分類（大分類）",
                                   ensure_option=False, layout=widgets.Layout(width="24em")),
            "本業・サービス内容": _note("例: 食品スーパー。総菜と日用品も扱う"),
            "本業との関わり": widgets.Dropdown(options=options(vocab.BUSINESS_RELATIONS, "（選ぶ）")),
            "取組形態": widgets.Dropdown(options=options(vocab.ENGAGEMENT_FORMS, "（選ぶ）")),
            "連携状況": widgets.Dropdown(options=options(vocab.COLLAB_STATUSES, "（選ぶ）")),
            "価値を感じていること": _note("例: 年配の常連が多く、来店が生活のリズムになっている"),
            "知っていること・やっていること": _note("例: 配達のついでに顔を見て声をかけている"),
            "困っていること": _note("例: 坂の上の団地からの来店が減った"),
            "できること・やりたいこと": _note("例: 休憩スペースを体操とお茶の会に開放できる"),
            "担当者": _line(), "電話": _line("例: 0120-123-456"), "メール": _line("例: info@example.jp"),
            "住所": _line(), "緯度": _line("例: 36.1058"), "経度": _line("例: 139.1627"),
        }
        # Typed boxes: the browser keeps what is typed in them until it is saved.
        self._kept = [c for c, control in self._fields.items()
                      if isinstance(control, (widgets.Text, widgets.Textarea, widgets.Combobox))]
        for label, control in self._fields.items():
            if not isinstance(control, widgets.Textarea):
                control.description = label
                control.style = {"description_width": "7em"}
        for label in self._kept:
            keep(self._fields[label], f"{DRAFT_KEY}#{label}")
        self._checks = {
            "カテゴリ": CheckGroup([(c, c) for c in vocab.ACTOR_CATEGORIES], 4, "kit-check-categories"),
            "対応できる生活課題": CheckGroup([(t, t) for t in vocab.LIFE_ISSUES], 5, "kit-check-issues"),
            "活動地区": CheckGroup([(vocab.WHOLE_TOWN, vocab.WHOLE_TOWN)], 6, "kit-check-areas"),
            "ツドレバ取組区分": CheckGroup([(a, a) for a in vocab.TSUDOREBA_APPROACHES], 3, "kit-check-approaches"),
            "対応できる状態像": CheckGroup([(s, s) for s in vocab.TSUDOREBA_STATES], 4, "kit-check-states"),
        }
        self._choice = Choice(lambda: self.save(force=True), self.take_theirs, what="内容")
        self._save = widgets.Button(description="保存する", button_style="primary", icon="save")
        self._delete = widgets.Button(description="削除する", button_style="danger", icon="trash")
        self._save.on_click(lambda _b: self.save())
        self._delete.on_click(lambda _b: self.delete())
        self._status = widgets.HTML()
        f = self._fields
        super().__init__([
            widgets.HBox([self._pick_query, self._pick]),
            _section("基本", f["名称"], f["主体種別"], f["業種"], f["連携状況"]),
            _section("本業・サービス内容", f["本業・サービス内容"]),
            _section("本業との関わりと取組形態", widgets.HBox([f["本業との関わり"], f["取組形態"]]),
                     note="取組形態: 本業として展開（移動販売など）／既存事業への波及を期待（店舗での居場所づくりなど）"
                          "／投資的な活動（住民ニーズを探るまちづくりなど）"),
            _section("カテゴリ（プラチナ・サポート・ショップの8分類）", self._checks["カテゴリ"]),
            _section("対応できる生活課題", self._checks["対応できる生活課題"],
                     note="「（独自）」は、キットの語彙にない、チームやファイルの生活課題です。"),
            _section("活動地区", self._checks["活動地区"], note="全域 = 市内のすべての地区"),
            _section("ツドレバの枠組みでの位置", self._checks["ツドレバ取組区分"], self._checks["対応できる状態像"],
                     note="どの取組区分で、どの状態の高齢者まで支えられるか。空欄ならカテゴリから推定します。"),
            _section("対話のメモ（オープン・インタビュー）",
                     *(widgets.VBox([widgets.HTML(f"<b>{label}</b>"), f[label]]) for label in act.VOICE_COLUMNS),
                     note="くつろいだ雰囲気で、はい・いいえで終わらない問いを。気持ちが動いた言葉と、"
                          "話が終わった後のひと言を書き留めます。"),
            _section("連絡先と所在地（個人情報: 書き出しには含めないのが既定です）",
                     f["担当者"], f["電話"], f["メール"], f["住所"], widgets.HBox([f["緯度"], f["経度"]])),
            widgets.HBox([self._save, self._delete]), self._status, self._choice])

    def bind(self, model: ActorsModel) -> None:
        self.model = model
        self._checks["活動地区"].add((act.area_label(c, model.area_names), c) for c in model.area_codes)
        for column in act.OWN_TERM_COLUMNS:
            self._checks[column].add((f"{t}（独自）", t) for t in model.own_terms(column))
        for column, control in (*self._fields.items(), *self._checks.items()):
            control.observe(lambda change, c=column: model.type({c: change["new"]}), "value")
        self._pick_query.observe(self._fill_picker, "value")
        self._pick.observe(self._on_pick, "value")
        model.observe(self._show, "draft")
        model.observe(self._loaded, "loads")
        model.observe(self._typed, "typed")
        model.observe(self._fill_picker, ["editing", "revision"])
        if model.restore_draft():
            self._status.value = message("info", "保存前の入力を復元しました。「保存する」でリストに反映されます。")
        self._fill_picker()

    @property
    def status_html(self) -> str:
        return self._status.value

    @property
    def picker_options(self) -> list[tuple[str, str]]:
        return list(self._pick.options)

    def search(self, text: str) -> None:
        """Narrow the picker to actors whose name or ID holds ``text``."""
        self._pick_query.value = text

    # -- model → widgets -----------------------------------------------------------------
    def _show(self, _change=None) -> None:
        draft = self.model.draft
        for column, control in self._fields.items():
            control.value = draft.get(column, "")
        for column, group in self._checks.items():
            values = tuple(draft.get(column, ()))
            # A team's own 生活課題 (from a file) gets a box, so saving keeps it.
            group.add((f"{t}（独自）", t) for t in values if column in act.OWN_TERM_COLUMNS)
            group.value = tuple(v for v in values if v in group.options)

    def _loaded(self, _change) -> None:
        """The form holds what is stored: tell the browser its text is saved."""
        self._choice.show(False)
        self._delete.disabled = self.model.base is None
        self._delete.description = "削除する"
        self._status.value = ""
        for column in self._kept:
            mark_saved(self._fields[column], self._fields[column].value, self._fields[column].value)

    def _fill_picker(self, _change=None) -> None:
        needle = normalize_text(self._pick_query.value).casefold()
        actors = self.model.actors
        if needle:
            actors = actors[actors["名称"].fillna("").str.casefold().str.contains(needle, regex=False)
                            | actors["主体ID"].str.casefold().str.contains(needle, regex=False)]
        current = self.model.editing
        listed = [("（新しい主体を追加）", _NEW)] + [
            (f"{name}（{actor_id}）", actor_id)
            for actor_id, name in zip(actors["主体ID"].head(PICK_LIMIT), actors["名称"].head(PICK_LIMIT))]
        if current and current not in {value for _, value in listed} and (record := self.model.record(current)):
            listed.append((f"{record['名称']}（{current}）", current))
        # New options select the first one: that is no choice of the user's.
        self._pick.unobserve(self._on_pick, "value")
        try:
            self._pick.options = listed
            self._pick.value = current if current in {v for _, v in listed} else _NEW
        finally:
            self._pick.observe(self._on_pick, "value")

    def _on_pick(self, change) -> None:
        if change["new"] != self.model.editing:
            self.model.show_record(change["new"] or None)

    # -- the draft ----------------------------------------------------------------------
    def _typed(self, _change) -> None:
        """What is typed is kept as a draft once typing pauses, so a reload never
        loses it; its free text is masked like the list's."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = later(PAUSE, self._save_draft)

    def _save_draft(self) -> None:
        self._timer = None
        try:
            masked, _found = mask_record(self.model.form_record())
            self.model.save_draft(masked)
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return
        except Exception as error:  # runs outside any cell: the page must still say it failed
            self._status.value = message("error", f"下書きを保存できませんでした（予期しない問題: {type(error).__name__}）。")
            return
        for column in self._kept:
            mark_saved(self._fields[column], act.text(self._fields[column].value), act.text(masked.get(column)))

    # -- saving -------------------------------------------------------------------------
    def save(self, force: bool = False) -> str | None:
        """Save the form into the list; returns the 主体ID, or None with problems
        shown. ``force`` overwrites what another device saved meanwhile, after the
        page showed it."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        problems = self.model.problems()
        if problems:
            self._status.value = "".join(message("error", p) for p in problems)
            return None
        record = self.model.form_record()
        self._choice.show(False)
        done, result = attempt(self._status, lambda: mask_record(record))
        if not done:
            return None
        masked, found = result
        done, saved = attempt(self._status, lambda: self.model.save_record(masked, self._today(), force))
        if not done:
            return None
        if saved.theirs is not None:
            shown = "".join(f"<tr><td>{html.escape(c)}</td><td>{cell_html(saved.theirs.get(c))}</td></tr>"
                            for c in act.differing_fields(record, saved.theirs) if c in act.COLUMNS and c != "更新日")
            self._status.value = (message("warning", f"{record['主体ID']} は、別のPCで先に書き換えられていました。"
                                                     "この内容はまだ保存していません。どちらを残すか選んでください。")
                                  + "<table class='kit-table kit-theirs'><tr><th>項目</th>"
                                    f"<th>別のPCで保存された値</th></tr>{shown}</table>")
            self._choice.show(True)
            return None
        attempt(self._status, self.model.clear_draft)
        self.model.show_record(saved.actor_id)
        self._status.value = message("ok", f"保存しました（主体ID {saved.actor_id}）。") + masked_notice(found)
        return saved.actor_id

    def take_theirs(self) -> None:
        """Take the other device's version of the record into the form."""
        self.model.reload()
        self.model.show_record(self.model.editing or None)
        self._status.value = message("info", "別のPCで保存された内容を読み込みました。")

    def delete(self) -> None:
        """First click asks, second click deletes."""
        removed = self.model.editing
        if not removed:
            return
        if self._delete.description != "本当に削除する":
            self._delete.description = "本当に削除する"
            self._status.value = message("warning", "もう一度押すと、この主体をリストから削除します。")
            return
        if attempt(self._status, lambda: (self.model.delete(removed), self.model.clear_draft()))[0]:
            self.model.show_record(None)
            self._status.value = message("ok", f"{removed} を削除しました。")
