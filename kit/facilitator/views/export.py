"""書き出し: every team's work as one workbook and the pitches as a zip, then the
workshop's data deleted from the server once its code is typed again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from kit.facilitator.model import DashboardModel
from kit.store import StoreError
from kit.ui.common import download_link, message

__all__ = ["ExportPanel"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportPanel(widgets.VBox):
    """``purged()`` is called after the workshop was deleted (it leaves the list)."""

    def __init__(self, model: DashboardModel, purged: Callable[[], None]):
        self.model, self._purged = model, purged
        book = widgets.Button(description="全チームの作業を Excel に", icon="file-excel-o", button_style="primary")
        files = widgets.Button(description="提案ファイル一式（.zip）", icon="file-archive-o")
        book.on_click(lambda _b: self._export("xlsx"))
        files.on_click(lambda _b: self._export("zip"))
        self._out = widgets.HTML()
        self._code = widgets.Text(placeholder="研修コード", description="確認", layout=widgets.Layout(width="16em"))
        purge = widgets.Button(description="この研修のデータをすべて削除", icon="trash", button_style="danger",
                               layout=widgets.Layout(width="auto"))
        purge.on_click(lambda _b: self._purge())
        self._purge_result = widgets.HTML()
        super().__init__([
            widgets.HTML("<p>研修が終わったら、全チームの作業（進み具合、気づきメモ、地域課題、タグ、グループ、"
                         "提供できること、主体リスト、選んだ連携先、提案、相互評価、理解度）を1つの Excel に、"
                         "各チームの提案をスライドと1枚まとめにして書き出します。自由記述の名前・電話番号・住所などは"
                         "伏せ、主体リストの担当者・電話・メール・住所は含めません。</p>"),
            widgets.HBox([book, files]), self._out,
            widgets.HTML("<h3>研修のデータを削除する</h3><p>書き出しが済み、参加者が持ち帰るものを保存し終えたら、"
                         "この研修のチーム・合言葉・入力内容（メモ、事例、主体リスト、提案、評価）を"
                         "サーバーから削除してください。元に戻せません。確認のため研修コードを入れてから押します。</p>"),
            widgets.HBox([self._code, purge]), self._purge_result])

    def _export(self, kind: str) -> None:
        from kit.export import export_filename

        self._out.value = message("info", "作成中です…（提案ファイルはチーム数×数秒かかります）")
        day = date.today()
        stem = f"研修_{self.model.workshop.code}" if self.model.workshop else "研修"
        try:
            if kind == "xlsx":
                link = download_link(self.model.export_xlsx(), export_filename(stem, "xlsx", day),
                                     "Excel を保存する", _XLSX)
                self._out.value = f"<p>{link}</p>"
                return
            data, teams = self.model.export_pitches(day)
        except Exception as error:  # an export failure must reach the facilitator, never a traceback
            self._out.value = message("error", f"書き出せませんでした（{error}）。")
            return
        if not teams:
            self._out.value = message("warning", "まだ提案を書き始めたチームがありません。")
            return
        link = download_link(data, export_filename(f"{stem}_提案", "zip", day),
                             f"提案ファイル一式を保存する（{len(teams)}チーム）", "application/zip")
        self._out.value = f"<p>{link}</p>"

    def _purge(self) -> None:
        code = self.model.workshop.code if self.model.workshop else ""
        try:
            deleted = self.model.purge(self._code.value)
        except (ValueError, StoreError) as error:
            self._purge_result.value = message("error", str(error))
            return
        self._code.value = ""
        self._purge_result.value = message("ok", f"研修 {code} のデータを削除しました（{deleted}件）。")
        self._purged()
