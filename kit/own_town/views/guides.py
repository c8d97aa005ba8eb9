"""2 データごとの頼み方とひな型: one guide per kind (what it is, who holds it, what
to ask for) with its template workbook, made when asked for."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.own_town import domain as ot
from kit.pages import LANDING, STEPS
from kit.ui.common import download_link
from kit.workspace import page_link

__all__ = ["GuidesPanel"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _guide_html(guide: ot.KindGuide, link: str | None) -> str:
    titles = {page.file: page.title for page in (LANDING, *STEPS)}
    pages = "、".join(f'<a href="{html.escape(page_link(file, link))}">{html.escape(titles[file])}</a>'
                     for file in guide.pages)
    rows = (("どんなデータか", guide.what), ("持っているところ", guide.holder), ("頼むこと", guide.ask),
            ("頼むときのこつ", guide.tip), ("キットでの使い道", guide.why))
    items = "".join(f"<dt>{title}</dt><dd>{html.escape(text)}</dd>" for title, text in rows)
    return f'<dl class="kit-guide">{items}<dt>使うページ</dt><dd>{pages}</dd></dl>'


class GuidesPanel(widgets.VBox):
    def __init__(self):
        self._guides = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        self._links = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        panels = []
        for kind in ot.KIND_GUIDES:
            button = widgets.Button(description="ひな型（Excel）を作る", icon="file-excel-o",
                                    layout=widgets.Layout(width="16em"))
            button.on_click(lambda _b, kind=kind: self.make_template(kind))
            panel = widgets.VBox([self._guides[kind], widgets.HBox([button, self._links[kind]])])
            panel.add_class(f"kit-guide-{kind}")
            panels.append(panel)
        guides = widgets.Accordion(panels, titles=tuple(g.label for g in ot.KIND_GUIDES.values()))
        guides.selected_index = None
        super().__init__([
            widgets.HTML("<h3>2 データごとの頼み方とひな型</h3><p>データの名前を押すと、だれが持っているか、"
                         "何を頼めばよいか、キットで何に使うかが開きます。ひな型は1枚目に列名と見本のまちの例、"
                         "2枚目に列ごとの書き方が入った Excel です。依頼文に添えて渡せます。</p>"),
            guides])

    def bind(self, link: str | None) -> None:
        """Link each guide's pages in the workspace ``link`` names."""
        for kind, guide in ot.KIND_GUIDES.items():
            self._guides[kind].value = _guide_html(guide, link)

    def make_template(self, kind: str) -> bytes:
        """Make ``kind``'s template and offer it for download."""
        data = ot.template_xlsx(kind)
        name = ot.template_filename(kind)
        self._links[kind].value = download_link(data, name, f"{name} を保存", _XLSX)
        return data
