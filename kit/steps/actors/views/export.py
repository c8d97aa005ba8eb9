"""Tab 「6 書き出し」: the list and the matching list as Excel or CSV, without
contacts unless asked for."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets
import traitlets

from kit import masking
from kit.export import export_filename, to_csv, to_xlsx
from kit.steps.actors import domain as act
from kit.steps.actors.model import ActorsModel
from kit.ui.common import download_link, message

__all__ = ["ExportView"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BUTTONS = {"list_xlsx": "リストを Excel で", "list_csv": "リストを CSV で",
            "match_xlsx": "マッチングリストを Excel で", "match_csv": "マッチングリストを CSV で"}


class ExportView(widgets.VBox):
    """The export's options (traits linked to their controls) and its buttons."""

    include_contacts = traitlets.Bool(False)
    encoding = traitlets.Unicode("cp932")
    top = traitlets.Int(0)

    def __init__(self, today: Callable[[], date]):
        self._today = today
        self.model: ActorsModel | None = None
        contacts = widgets.Checkbox(value=False, indent=False,
                                    description="連絡先と所在地（担当者・電話・メール・住所・緯度・経度）を含める")
        self._contacts_note = widgets.HTML()
        encoding = widgets.RadioButtons(
            options=[("Shift_JIS（CP932）: 古い Excel でもそのまま開ける", "cp932"),
                     ("UTF-8（BOM付き）: 機種依存文字も書き出せる", "utf-8-sig")],
            value="cp932", description="CSVの文字コード", style={"description_width": "9em"},
            layout=widgets.Layout(width="auto"))
        top = widgets.BoundedIntText(value=0, min=0, max=20, description="加える候補の数",
                                     style={"description_width": "9em"}, layout=widgets.Layout(width="14em"))
        buttons = {}
        for key, label in _BUTTONS.items():
            buttons[key] = widgets.Button(description=label, icon="download", layout=widgets.Layout(width="17em"))
            buttons[key].on_click(lambda _b, k=key: self.export(k))
        self._out = widgets.HTML()
        self._out.add_class("kit-export-out")
        super().__init__([
            widgets.HTML("<p>リストは絞り込みに関係なく全件を書き出します。マッチングリストは、"
                         "研修イベントで自治体と企業が交換したリストと同じく、課題ごとの相手に"
                         "「一緒に解決したい課題」と「私たちが提供できること」を添えたものです。"
                         "「5 課題とのマッチング」で選んだ相手が理由とともに先に並び、"
                         "候補を加えたいときは、その数を指定します（0 のままなら選んだ相手だけ）。</p>"),
            contacts, self._contacts_note, encoding, top,
            widgets.HBox([buttons["list_xlsx"], buttons["list_csv"]]),
            widgets.HBox([buttons["match_xlsx"], buttons["match_csv"]]), self._out])
        for control, name in ((contacts, "include_contacts"), (encoding, "encoding"), (top, "top")):
            traitlets.link((self, name), (control, "value"))

    def bind(self, model: ActorsModel) -> None:
        self.model = model

    @property
    def out_html(self) -> str:
        return self._out.value

    @traitlets.observe("include_contacts")
    def _warn(self, change) -> None:
        self._contacts_note.value = (message("warning", "担当者の氏名・電話・メールは個人情報です。"
                                                        "渡す相手と保管のしかたを確かめてから書き出してください。")
                                     if change["new"] else "")

    def export(self, what: str) -> None:
        """Build one export and show its download link (with what was hidden or replaced)."""
        include = self.include_contacts
        day = self._today()
        notes = []
        # Masking a long list takes seconds: say so before the kernel is busy.
        self._out.value = message("info", "書き出すファイルを作っています…")
        if what.startswith("list"):
            table, hidden = act.export_table(self.model.actors, include)
            stem, sheets = "多様な主体リスト", {"多様な主体": table}
        else:
            table, hidden = self.model.matching_table(self.top, include)
            if unchosen := self.model.unchosen_issues():
                notes.append(message("warning", f"相手をまだ選んでいない課題があります（{'、'.join(unchosen)}）。"
                                                "「5 課題とのマッチング」で選ぶと、理由とともにリストに入ります。"))
            stem, sheets = "マッチングリスト", {"マッチングリスト": table, "空白の課題": self.model.gaps()}
        if hidden:
            notes.append(message("info", "自由記述の中の" + masking.summary(hidden)))
        if not include:
            notes.append(message("info", "連絡先と所在地は含めていません。"))
        if what.endswith("xlsx"):
            link = download_link(to_xlsx(sheets), export_filename(stem, "xlsx", day), f"{stem}（Excel）をダウンロード",
                                 XLSX_MIME)
        else:
            result = to_csv(table, self.encoding)
            if result.problems:
                shown = "".join(f"<li>{html.escape(p.message)}</li>" for p in result.problems[:10])
                more = f"<li>ほか{len(result.problems) - 10}件</li>" if len(result.problems) > 10 else ""
                notes.append(message("warning", f"Shift_JIS で書けない文字が{len(result.problems)}個あり、"
                                                "置き換えました。UTF-8 を選ぶとそのまま書き出せます。")
                             + f"<ul class='kit-csv-problems'>{shown}{more}</ul>")
            link = download_link(result.data, export_filename(stem, "csv", day), f"{stem}（CSV）をダウンロード",
                                 "text/csv")
        self._out.value = link + "".join(notes)
