"""Tab 「4 書き出す」: the pitch as slides and as a one-page summary to print, both
with personal data masked."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from kit.steps.pitch.model import PitchModel
from kit.steps.pitch.views import button
from kit.ui.common import download_link, message
from kit.ui.controls import heading

__all__ = ["ExportView"]

_LINKS = {"pptx": "スライドを保存する (.pptx)", "html": "1枚まとめを保存する (.html)"}


class ExportView(widgets.VBox):
    """Two buttons, each making one file and offering it as a download."""

    def __init__(self, model: PitchModel):
        self._model = model
        pptx = button("PowerPoint をつくる", "file-powerpoint-o", primary=True)
        page = button("1枚まとめ（印刷用）をつくる", "print")
        pptx.on_click(lambda _: self.make("pptx"))
        page.on_click(lambda _: self.make("html"))
        self._out = widgets.HTML()
        super().__init__([
            heading("持ち帰るファイル", "同じ提案から、スライド（PowerPoint）と印刷用の1枚まとめを作ります。"
                                "1枚まとめはブラウザで開き、印刷（PDF に保存）できます。名前・電話番号・住所などは伏せて書き出します。"),
            widgets.HBox([pptx, page]), self._out,
        ])

    def make(self, kind: str) -> None:
        """Make the file (``"pptx"`` or ``"html"``) and show its download link, what
        was masked and how many prompts of the check remain."""
        if self._model.workspace is None:
            return
        self._out.value = message("info", "作成中です（グラフを描くので数秒かかります）…")
        try:
            made = self._model.export(kind, date.today())
        except Exception as error:  # an export failure must reach the user, never a traceback
            self._out.value = message("error", f"書き出せませんでした（予期しない問題: {type(error).__name__}）。")
            return
        notes = []
        if made.hidden:
            notes.append(message("info", "書き出しで伏せた個人情報: "
                                 + "、".join(f"{what} {count}件" for what, count in made.hidden.items())))
        if made.remaining:
            notes.append(message("warning", f"提案のチェックに {made.remaining} 件残っています"
                                            "（空欄はファイルに「（未記入）」と出ます）。"))
        self._out.value = "".join(notes) + f"<p>{download_link(made.data, made.filename, _LINKS[kind], made.mime)}</p>"
