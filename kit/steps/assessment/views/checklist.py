"""Tab 都道府県の方へ: the municipal checklist of seed 002 as a form, and a table of
many municipalities' answers (typed in one by one or uploaded), each sorted into
未着手 / 課題あり / 順調 with the support it needs.

The form and the table are a :class:`~kit.steps.assessment.model.ChecklistModel`;
the table is saved in the workspace as it changes, and a failed upload leaves it
as it was.
"""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit.export import export_filename
from kit.masking import Masked
from kit.steps.assessment import checklist as cl
from kit.steps.assessment.model import ChecklistModel
from kit.ui.common import download_link, message
from kit.ui.controls import CheckGroup
from kit.ui.saving import LINE_MAX, TEXT_MAX, TooLong, attempt, check_length, failure_html, masked_notice, saved_html
from kit.ui.town import XLSX_MIME

__all__ = ["ChecklistPanel"]

_ANSWERS = (("未回答", None), ("はい", True), ("いいえ", False))


def _html_table(df: pd.DataFrame, css_class: str) -> str:
    return df.to_html(index=False, escape=True, na_rep="", classes=f"kit-table {css_class}", border=0)


def _masked(report: pd.DataFrame) -> str:
    """What masking hid in the table's Q2, per municipality."""
    return masked_notice([(name, Masked(kind, original, 0, 0)) for name, kind, original
                          in zip(report["ID"], report["種類"], report["元の文字列"])])


class ChecklistPanel(widgets.VBox):
    """The form, the upload and the classified table; :meth:`bind` attaches a workspace."""

    def __init__(self):
        super().__init__()
        self.model = ChecklistModel()
        self._name = widgets.Text(description="市町村名", placeholder="例: みどり野市",
                                  style={"description_width": "6em"})
        self._steps = [widgets.ToggleButtons(options=_ANSWERS, value=None, style={"button_width": "6em"})
                       for _ in cl.Q1_STEPS]
        self._q2 = widgets.Textarea(placeholder=cl.Q2_TEXT, layout=widgets.Layout(width="100%", height="4em"))
        self._q3 = CheckGroup([(c.text, c.key) for c in cl.Q3_CHOICES], columns=1)
        self._q4 = CheckGroup([(c.text, c.key) for c in cl.Q4_CHOICES], columns=1)
        self._result = widgets.HTML()
        self._saved = widgets.HTML()
        self._add = widgets.Button(description="一覧に追加（同じ名前は置き換え）", icon="plus",
                                   layout=widgets.Layout(width="20em"))
        self._upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False, description="回答の表を読み込む",
                                          icon="upload", layout=widgets.Layout(width="16em"))
        self._upload_status = widgets.HTML()
        self._summary = widgets.HTML()
        self._rows = widgets.HTML()
        self._export = widgets.Button(description="Excelに書き出す", icon="download")
        self._link = widgets.HTML()
        for control, trait in ((self._name, "name"), (self._q2, "q2"), (self._q3, "q3"), (self._q4, "q4")):
            traitlets.link((self.model, trait), (control, "value"))
        for box in self._steps:
            box.observe(self._on_step, "value")
        self.model.observe(self._show_form, names=["name", "q1", "q2", "q3", "q4"])
        self._add.on_click(lambda _: self.add_current())
        self._upload.observe(self._on_upload, "value")
        self._export.on_click(lambda _: self.export())
        self.add_class("kit-checklist")
        self._step_rows = [widgets.VBox([widgets.HTML(f"<b>{step.key}</b> {html.escape(step.text)}"), box])
                           for box, step in zip(self._steps, cl.Q1_STEPS)]
        self.children = [
            widgets.HTML("<h3>市町村の生活支援体制チェックリスト（都道府県の方向け）</h3>"
                         "<p>都道府県プラットフォーム構築の手引きにあるチェックリストのひな型（Q1〜Q4）です。"
                         "市町村ごとの回答から、<b>未着手・課題あり・順調</b>に分け、それぞれに合う支援を示します。"
                         "分け方は手引きの考え方をもとにキットが決めたもので、下の「分け方」に書いてあります。</p>"),
            self._rules_html(),
            widgets.HTML("<h4>1つの市町村を入力する</h4>"), self._name,
            widgets.HTML(f"<b>Q1</b> {html.escape(cl.Q1_TEXT)}（「はい」のときだけ次へ進みます）"),
            *self._step_rows,
            widgets.HTML("<b>Q2</b>"), self._q2,
            widgets.HTML(f"<b>Q3</b> {html.escape(cl.Q3_TEXT)}"), self._q3,
            widgets.HTML(f"<b>Q4</b> {html.escape(cl.Q4_TEXT)}"), self._q4,
            self._result, self._add, self._saved,
            widgets.HTML("<h4>多くの市町村の回答をまとめて読み込む</h4>"
                         "<p>1行に1市町村。列: 市町村名, Q1-1, Q1-2, Q1-3（はい/いいえ）, Q2, Q3, Q4"
                         "（Q3・Q4は選択肢の文言か短い名前を「;」や「、」で区切る）。"
                         "読み込むと一覧を置き換えます。読み込めなかったときは今の一覧のままです。</p>"),
            self._upload, self._upload_status,
            widgets.HTML("<h4>分類の結果</h4>"), self._summary, self._rows, self._export, self._link,
        ]
        self._show_form()

    @staticmethod
    def _rules_html() -> widgets.HTML:
        items = "".join(f"<li><b>{html.escape(c.name)}</b>: {html.escape(c.meaning)} → {html.escape(c.policy)}</li>"
                        for c in cl.CLASSES)
        return widgets.HTML(f"<details><summary>分け方</summary><ul>{items}"
                            "<li>Q1-1かQ1-2が「いいえ」なら未着手。Q1-3が「いいえ」、またはQ3で困りごとを選んだら課題あり。"
                            "Q1がすべて「はい」で困りごとがなければ順調。</li>"
                            "<li>困りごとに合わせた支援: 主体が分からない → 主体リスト・イベント、"
                            "進め方が分からない → 伴走支援・研修、アイデアが無い → 事例集・ガイドブック。</li>"
                            "</ul></details>")

    def bind(self, workspace) -> None:
        self.model.bind(workspace)
        self._show_table()

    # ------------------------------------------------------------ form

    def _on_step(self, _change) -> None:
        self.model.q1 = tuple(box.value for box in self._steps)

    def _show_form(self, _change=None) -> None:
        # The flowchart: a step is shown only after a 「はい」 to the one before, and
        # a hidden step shows the answer the model cleared.
        m = self.model
        for index, (box, step_row, value) in enumerate(zip(self._steps, self._step_rows, m.q1)):
            step_row.layout.display = None if index < m.asked else "none"
            box.value = value
        result = cl.classify(m.answers)
        if result.name == cl.INCOMPLETE:
            self._result.value = message("info", f"分類: まだ決まりません（{result.reason}）")
        else:
            self._result.value = (message("ok", f"分類: {result.name} — {result.reason}")
                                  + f'<div class="kit-checklist-support">支援の方針: {html.escape(result.policy)}<br>'
                                  f'提案する支援: {html.escape("、".join(result.proposed))}</div>')
        self._add.disabled = not m.name.strip()

    def add_current(self) -> None:
        """Add the form's municipality to the table, replacing one of the same name."""
        name = self.model.name.strip()
        if not name:
            return
        try:
            check_length(name, LINE_MAX, "市町村名")
            check_length(self.model.answers.q2, TEXT_MAX, "Q2")
        except TooLong as error:
            self._saved.value = failure_html(error)
            return
        saved, report = attempt(self._saved, self.model.add_current)
        if saved:
            self._show_table()
            self._saved.value = saved_html(f"（{name}）") + _masked(report)

    # ------------------------------------------------------------ upload

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        chosen = files[0]
        self.handle_upload(chosen["name"], bytes(chosen["content"]))
        self._upload.value = ()

    def handle_upload(self, filename: str, content: bytes) -> bool:
        """Replace the table with an uploaded one; on any problem keep the old table."""
        table, problems = cl.read_answers(content, filename)
        if table is None:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:20])
            more = f"<li>他に{len(problems) - 20}件</li>" if len(problems) > 20 else ""
            self._upload_status.value = (message("error", f"{filename} を読み込めませんでした。今の一覧はそのままです。")
                                         + f"<ul>{items}{more}</ul>")
            return False
        saved, report = attempt(self._upload_status, lambda: self.model.save(table))
        if not saved:
            return False
        self._show_table()
        self._upload_status.value = message("ok", f"{filename}: {len(table)}市町村の回答を読み込みました") + _masked(report)
        return True

    # ------------------------------------------------------------ results

    def _show_table(self) -> None:
        if self.model.table.empty:
            self._summary.value = "<p>まだ回答がありません。上で入力するか、表を読み込んでください。</p>"
            self._rows.value = ""
            self._export.disabled = True
            return
        classified = self.model.classified()
        self._summary.value = _html_table(cl.class_summary(classified), "kit-checklist-summary")
        self._rows.value = _html_table(classified, "kit-checklist-rows")
        self._export.disabled = False

    def export(self) -> bytes:
        """The classification as .xlsx; free text is masked for personal data."""
        data = self.model.export_xlsx()
        self._link.value = download_link(data, export_filename("市町村チェックリスト", "xlsx", date.today()),
                                         "チェックリストの分類（Excel）を保存", XLSX_MIME)
        return data
