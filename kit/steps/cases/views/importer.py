"""事例のファイルを読み込む: a cases file, its free text masked and what was masked
shown before the file replaces the case list."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.masking import MaskingUnavailable, summary
from kit.ui.common import message
from kit.ui.saving import attempt, failure_html
from kit.ui.upload import UploadBox

__all__ = ["CaseImport"]

_SHOWN_MASKS = 30          # masked items listed after an import


class CaseImport(widgets.Accordion):
    """The upload box, folded under the cards; ``model.pending_import`` holds the
    masked file until the user confirms it."""

    def __init__(self):
        self._model = None
        self._upload = UploadBox("cases", on_loaded=self._loaded,
                                 known_areas=lambda: list(self._model.area_names) if self._model else None)
        self._preview = widgets.HTML()
        self._go = widgets.Button(description="伏せ字にした内容で取り込む", button_style="primary",
                                  icon="check", layout=widgets.Layout(display="none"))
        self._go.on_click(lambda _b: self.confirm())
        box = widgets.VBox([
            widgets.HTML("<p>地域ケア会議の事例などを CSV / Excel で読み込みます（列は 事例ID・地区コード・"
                         "本人の望み・困りごと など。<code>python -m kit validate cases ファイル</code> でも確かめられます）。"
                         "自由記述の個人情報は、取り込む前に伏せ字にして、何を伏せたかを表示します。"
                         "取り込むと、いまの事例の一覧と入れ替わります。</p>"),
            self._upload, self._preview, self._go])
        super().__init__([box], titles=("事例のファイルを読み込む",))
        self.selected_index = None

    def bind(self, model) -> None:
        self._model = model

    def load_file(self, filename: str, content: bytes) -> None:
        """What choosing a file does: read, check and mask it, and show what was masked."""
        self._upload.handle_upload(filename, content)

    def _loaded(self, result) -> None:
        try:
            report = self._model.prepare_import(result.data)
        except MaskingUnavailable as error:
            self._preview.value = failure_html(error)
            return
        counts = report["種類"].value_counts().to_dict()
        shown = report.head(_SHOWN_MASKS)
        rows = "".join(f"<tr><td>{r.行}</td><td>{html.escape(str(r.ID))}</td><td>{html.escape(r.列)}</td>"
                       f"<td>{html.escape(r.種類)}</td><td>{html.escape(r.元の文字列)}</td></tr>"
                       for r in shown.itertuples())
        more = f"<p>ほか{len(report) - len(shown)}件</p>" if len(report) > len(shown) else ""
        table = (f'<table class="kit-table kit-masked"><tr><th>行</th><th>事例ID</th><th>列</th><th>種類</th>'
                 f"<th>元の文字列</th></tr>{rows}</table>{more}" if rows else "")
        cases = len(self._model.pending_import)
        self._preview.value = message("warning" if counts else "ok", f"{cases}件の事例。{summary(counts)}") + table
        self._go.layout.display = None

    def confirm(self) -> None:
        """Replace the case list with the masked file."""
        if self._model.pending_import is None:
            return
        saved, count = attempt(self._preview, self._model.confirm_import)
        if not saved:
            return
        self._preview.value = message("ok", f"{count}件の事例を取り込みました（伏せ字にした文章だけを保存しています）。")
        self._go.layout.display = "none"

    @property
    def preview(self) -> str:
        return self._preview.value
