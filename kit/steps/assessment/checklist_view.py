"""For prefectural staff: the municipal checklist of seed 002 as a form, and a table
of many municipalities' answers (typed in one by one or uploaded), each sorted into
未着手 / 課題あり / 順調 with the support it needs.

The table is saved in the workspace (``TABLE_KEY``) as it changes; a failed upload
leaves it as it was.
"""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as widgets
import pandas as pd

from kit.export import export_filename, to_xlsx
from kit.masking import Masked, mask_table
from kit.steps.assessment import checklist as cl
from kit.ui.common import download_link, message
from kit.ui.saving import (
    LINE_MAX,
    TEXT_MAX,
    TooLong,
    attempt,
    check_length,
    failure_html,
    masked_notice,
    saved_html,
)

__all__ = ["TABLE_KEY", "ChecklistPanel"]

TABLE_KEY = "assessment/checklist"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ANSWERS = (("未回答", None), ("はい", True), ("いいえ", False))
_WIDE = widgets.Layout(width="100%")


def _html_table(df: pd.DataFrame, css_class: str) -> str:
    return df.to_html(index=False, escape=True, na_rep="", classes=f"kit-table {css_class}", border=0)


class ChecklistPanel(widgets.VBox):
    """The form, the upload and the classified table; :meth:`bind` attaches a workspace."""

    def __init__(self):
        super().__init__()
        self.workspace = None
        self.table = pd.DataFrame(columns=list(cl.COLUMNS))
        self._name = widgets.Text(description="市町村名", placeholder="例: みどり野市",
                                  style={"description_width": "6em"})
        self._steps = [widgets.ToggleButtons(options=_ANSWERS, value=None, style={"button_width": "6em"})
                       for _ in cl.Q1_STEPS]
        self._q2 = widgets.Textarea(placeholder=cl.Q2_TEXT, layout=widgets.Layout(width="100%", height="4em"))
        self._q3 = [widgets.Checkbox(description=c.text, indent=False, layout=_WIDE) for c in cl.Q3_CHOICES]
        self._q4 = [widgets.Checkbox(description=c.text, indent=False, layout=_WIDE) for c in cl.Q4_CHOICES]
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
        for control in (self._name, self._q2, *self._steps, *self._q3, *self._q4):
            control.observe(self._on_form, "value")
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
            widgets.HTML(f"<b>Q3</b> {html.escape(cl.Q3_TEXT)}"), *self._q3,
            widgets.HTML(f"<b>Q4</b> {html.escape(cl.Q4_TEXT)}"), *self._q4,
            self._result, self._add, self._saved,
            widgets.HTML("<h4>多くの市町村の回答をまとめて読み込む</h4>"
                         "<p>1行に1市町村。列: 市町村名, Q1-1, Q1-2, Q1-3（はい/いいえ）, Q2, Q3, Q4"
                         "（Q3・Q4は選択肢の文言か短い名前を「;」や「、」で区切る）。"
                         "読み込むと一覧を置き換えます。読み込めなかったときは今の一覧のままです。</p>"),
            self._upload, self._upload_status,
            widgets.HTML("<h4>分類の結果</h4>"), self._summary, self._rows, self._export, self._link,
        ]
        self._on_form()

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

    # ------------------------------------------------------------ workspace

    def bind(self, workspace) -> None:
        self.workspace = workspace
        saved = workspace.get_table(TABLE_KEY)
        self.table = saved if saved is not None else pd.DataFrame(columns=list(cl.COLUMNS))
        self._render_table()

    def _save(self, table: pd.DataFrame, status: widgets.HTML) -> str | None:
        """Store ``table`` with its Q2 masked and show it; returns the notice of what
        was masked. On failure say why in ``status`` and keep the table as it was."""
        def store() -> tuple[pd.DataFrame, pd.DataFrame]:
            masked, report = mask_table(table.reset_index(drop=True), ["Q2"], id_column="市町村名")
            if self.workspace is not None:
                self.workspace.put_table(TABLE_KEY, masked)
            return masked, report

        saved, result = attempt(status, store)
        if not saved:
            return None
        self.table, report = result
        self._render_table()
        return masked_notice([(name, Masked(kind, original, 0, 0)) for name, kind, original
                              in zip(report["ID"], report["種類"], report["元の文字列"])])

    # ------------------------------------------------------------ form

    def answers(self) -> cl.Answers:
        return cl.Answers(
            tuple(box.value for box in self._steps), self._q2.value.strip(),
            tuple(c.key for c, box in zip(cl.Q3_CHOICES, self._q3) if box.value),
            tuple(c.key for c, box in zip(cl.Q4_CHOICES, self._q4) if box.value))

    def _on_form(self, _change=None) -> None:
        # The flowchart: a step is asked only after a 「はい」 to the one before;
        # a hidden step loses its answer (which calls this again, harmlessly).
        asked = True
        for box, row in zip(self._steps, self._step_rows):
            row.layout.display = None if asked else "none"
            if not asked and box.value is not None:
                box.value = None
            asked = asked and box.value is True
        result = cl.classify(self.answers())
        if result.name == cl.INCOMPLETE:
            self._result.value = message("info", f"分類: まだ決まりません（{result.reason}）")
        else:
            self._result.value = (message("ok", f"分類: {result.name} — {result.reason}")
                                  + f'<div class="kit-checklist-support">支援の方針: {html.escape(result.policy)}<br>'
                                  f'提案する支援: {html.escape("、".join(result.proposed))}</div>')
        self._add.disabled = not self._name.value.strip()

    def add_current(self) -> None:
        """Add the form's municipality to the table, replacing one of the same name."""
        name = self._name.value.strip()
        if not name:
            return
        answers = self.answers()
        try:
            check_length(name, LINE_MAX, "市町村名")
            check_length(answers.q2, TEXT_MAX, "Q2")
        except TooLong as error:
            self._saved.value = failure_html(error)
            return
        row = {"市町村名": name, "Q2": answers.q2, "Q3": ";".join(answers.q3), "Q4": ";".join(answers.q4)}
        row.update({step.key: {True: cl.YES, False: cl.NO, None: ""}[value]
                    for step, value in zip(cl.Q1_STEPS, answers.q1)})
        kept = self.table[self.table["市町村名"] != name]
        notice = self._save(pd.concat([kept, pd.DataFrame([row], columns=list(cl.COLUMNS))], ignore_index=True),
                            self._saved)
        if notice is not None:
            self._saved.value = saved_html(f"（{name}）") + notice

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
        notice = self._save(table, self._upload_status)
        if notice is None:
            return False
        self._upload_status.value = message("ok", f"{filename}: {len(table)}市町村の回答を読み込みました") + notice
        return True

    # ------------------------------------------------------------ results

    def classified(self) -> pd.DataFrame:
        return cl.classify_table(self.table)

    def _render_table(self) -> None:
        if self.table.empty:
            self._summary.value = "<p>まだ回答がありません。上で入力するか、表を読み込んでください。</p>"
            self._rows.value = ""
            self._export.disabled = True
            return
        classified = self.classified()
        self._summary.value = _html_table(cl.class_summary(classified), "kit-checklist-summary")
        self._rows.value = _html_table(classified, "kit-checklist-rows")
        self._export.disabled = False

    def export(self) -> bytes:
        """The classification as .xlsx; free text is masked for personal data."""
        classified, _report = mask_table(self.classified(), ["Q2 自由記述"])
        data = to_xlsx({"分類": classified, "区分ごと": cl.class_summary(classified)})
        self._link.value = download_link(data, export_filename("市町村チェックリスト", "xlsx", date.today()),
                                         "チェックリストの分類（Excel）を保存", _XLSX)
        return data
