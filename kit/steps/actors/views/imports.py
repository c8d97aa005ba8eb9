"""Tab 「3 読み込みと重複」: add a file to the list, undo it, and merge the likely
duplicates one pair at a time, field by field."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from kit import datasets, masking
from kit.export import to_csv
from kit.steps.actors import domain as act
from kit.steps.actors.model import ActorsModel
from kit.steps.actors.views import cell_html
from kit.ui.common import download_link, message
from kit.ui.controls import esc, heading
from kit.ui.saving import attempt, masked_notice
from kit.ui.upload import UploadBox

__all__ = ["ImportView"]

_SIDE = {"left": "上の値", "right": "下の値", "both": "両方"}


class ImportView(widgets.VBox):
    """The upload box, the practice file, and the duplicates the list holds."""

    def __init__(self, today: Callable[[], date]):
        self._today = today
        self.model: ActorsModel | None = None
        self._upload = UploadBox("actors", self._on_loaded,
                                 known_areas=lambda: self.model.area_codes if self.model else None)
        self._practice = widgets.HTML()
        self._status = widgets.HTML()
        self._undo = widgets.Button(description="読み込む前のリストに戻す", icon="undo")
        self._undo.on_click(lambda _b: self.undo())
        self._pair_status = widgets.HTML()
        self._pair_view = widgets.VBox()
        self._merge = widgets.Button(description="統合する", button_style="primary", icon="compress")
        self._keep_both = widgets.Button(description="別の主体として残す", icon="clone")
        self._merge.on_click(lambda _b: self.merge())
        self._keep_both.on_click(lambda _b: self.keep_apart())
        self._choices: dict[str, widgets.ToggleButtons] = {}
        self._pair: tuple[str, str] | None = None
        super().__init__([
            widgets.HTML("<p>Excel（.xlsx）か CSV の主体リストを読み込むと、今のリストに<b>追加</b>します。"
                         "同じ名称（株式会社・(株)・空白の違いは無視）や同じ電話番号の主体は重複の候補として下に並ぶので、"
                         "1組ずつ、項目ごとにどちらの値を残すか選んで統合してください。</p>"),
            self._practice, self._upload, self._status, self._undo,
            heading("重複の候補"), self._pair_status, self._pair_view,
            widgets.HBox([self._merge, self._keep_both])])

    def bind(self, model: ActorsModel) -> None:
        self.model = model
        practice = to_csv(act.practice_import(act.normalise(datasets.sample("actors"))), "utf-8-sig").data
        self._practice.value = download_link(practice, "練習用_主体リスト.csv",
                                             "練習用のファイル（4件、うち2件は見本のリストと重複）をダウンロード",
                                             "text/csv")
        model.observe(self._render, "revision")
        self._render()

    @property
    def status_html(self) -> str:
        return self._status.value

    @property
    def pair_html(self) -> str:
        return self._pair_status.value

    @property
    def can_undo(self) -> bool:
        return not self._undo.disabled

    def upload(self, filename: str, content: bytes) -> None:
        """What choosing a file does."""
        self._upload.handle_upload(filename, content)

    def choose(self, column: str, side: str) -> None:
        """Keep ``side`` (left, right, both) of ``column`` when the pair is merged."""
        self._choices[column].value = side

    def _on_loaded(self, result) -> None:
        saved, outcome = attempt(self._status, lambda: self.model.import_table(result.data))
        if not saved:
            return
        renamed, report = outcome
        note = (f"主体IDが今のリストと重なった{len(renamed)}件には新しいIDを付けました"
                f"（{'、'.join(f'{a}→{b}' for a, b in list(renamed.items())[:5])}{'…' if len(renamed) > 5 else ''}）。"
                if renamed else "")
        found = [(f"{row.ID} {row.列}", masking.Masked(row.種類, row.元の文字列, 0, 0)) for row in report.itertuples()]
        self._status.value = message("ok", f"{len(result.data)}件をリストに追加しました。{note}") + masked_notice(found)

    def undo(self) -> None:
        if attempt(self._status, self.model.undo_import)[0]:
            self._status.value = message("ok", "読み込む前のリストに戻しました。")

    def _render(self, _change=None) -> None:
        self._undo.disabled = not self.model.can_undo_import()
        pairs = self.model.duplicates()
        if pairs.empty:
            self._pair = None
            self._pair_status.value = message("ok", "重複の候補はありません。")
            self._pair_view.children = ()
            self._merge.disabled = self._keep_both.disabled = True
            return
        first = pairs.iloc[0]
        self._pair = (first["主体ID_1"], first["主体ID_2"])
        self._pair_status.value = message("warning", f"残り{len(pairs)}組。{first['理由']}: "
                                                     f"「{first['名称_1']}」と「{first['名称_2']}」")
        self._merge.disabled = self._keep_both.disabled = False
        self._pair_view.children = self._pair_rows(*self._pair)

    def _pair_rows(self, keep_id: str, drop_id: str) -> list[widgets.Widget]:
        left, right = self.model.record(keep_id), self.model.record(drop_id)
        differing = [c for c in act.differing_fields(left, right) if c in act.COLUMNS and c != "更新日"]
        self._choices = {}
        rows = [widgets.HTML("<table class='kit-table'><tr><th>項目</th>"
                             f"<th>上: {esc(keep_id)}（残す主体ID）</th><th>下: {esc(drop_id)}</th></tr>"
                             + "".join(f"<tr><td>{html.escape(c)}</td><td>{cell_html(left[c])}</td>"
                                       f"<td>{cell_html(right[c])}</td></tr>" for c in differing)
                             + "</table>")]
        for column in differing:
            toggle = widgets.ToggleButtons(options=[(_SIDE[o], o) for o in act.choice_options(column)],
                                           value=act.default_choice(column, left[column], right[column]),
                                           description=column,
                                           style={"description_width": "12em", "button_width": "6em"})
            toggle.add_class("kit-merge-choice")
            self._choices[column] = toggle
            rows.append(toggle)
        if not differing:
            rows.append(widgets.HTML("<p>2件の内容は同じです。統合すると1件になります。</p>"))
        return rows

    def merge(self) -> None:
        """Merge the pair shown, with the values chosen field by field."""
        if self._pair is None:
            return
        keep_id, drop_id = self._pair
        choices = {column: toggle.value for column, toggle in self._choices.items()}
        try:
            if not attempt(self._status, lambda: self.model.merge(keep_id, drop_id, choices, self._today()))[0]:
                return
        except KeyError:  # another device merged or deleted one of the two meanwhile
            self.model.reload()
            self._status.value = message("warning", "この2件は、別のPCで先に統合か削除がされていました。")
            return
        self._status.value = message("ok", f"{drop_id} を {keep_id} に統合しました。")

    def keep_apart(self) -> None:
        """The pair shown is two actors: never offer it again."""
        if self._pair is not None:
            attempt(self._pair_status, lambda: self.model.dismiss(*self._pair))
