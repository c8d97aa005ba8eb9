"""ギャラリー: each team's work in large type for the projector, one section per
step (kit.steps.GallerySection); all teams, or one with more detail."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.facilitator.model import ALL, DashboardModel
from kit.facilitator.progress import GalleryEntry
from kit.masking import MaskingUnavailable
from kit.steps import GallerySection
from kit.ui.common import message

__all__ = ["GalleryPanel", "gallery_html"]


def _section_html(section: GallerySection, single: bool) -> str:
    heading = ""
    if section.heading:
        css = "kit-gallery-title" if section.title else "kit-gallery-heading"
        heading = f'<p class="{css}"><b>{html.escape(section.heading)}</b></p>'
    lines = [*section.lines, *(section.more if single else ())]
    if not section.lines:
        return f"{heading}<p><i>{html.escape(section.empty)}</i></p>"
    items = "".join(f"<li><b>{html.escape(lead)}</b> {html.escape(text)}</li>" if lead
                    else f"<li>{html.escape(text)}</li>" for lead, text in lines)
    return f"{heading}<ul>{items}</ul>"


def gallery_html(entries: list[GalleryEntry], team: str = ALL) -> str:
    """Each team's work in large type, for the projector; one team (with what a
    step adds when one team is shown alone) or all of them."""
    shown = [entry for entry in entries if team in (ALL, entry.team)]
    if not shown:
        return "<p>まだ表示するチームがありません。</p>"
    single = team != ALL
    return "".join(
        f'<div class="kit-gallery-card{" kit-gallery-one" if single else ""}">'
        f"<h2>{html.escape(entry.team)}</h2>"
        + "".join(_section_html(section, single) for section in entry.sections) + "</div>"
        for entry in shown)


class GalleryPanel(widgets.VBox):
    def __init__(self, model: DashboardModel):
        self.model = model
        self._team = widgets.Dropdown(description="表示", options=[("すべてのチーム", ALL)])
        self._team.observe(lambda _change: self._draw(), "value")
        self._cards = widgets.HTML()
        super().__init__([self._team, self._cards])

    def refresh(self) -> None:
        """Offer the teams that joined, and draw the cards."""
        options = [("すべてのチーム", ALL)] + [(team, team) for team in self.model.workshop.team_names()]
        if list(self._team.options) != options:
            current = self._team.value
            self._team.options = options
            self._team.value = current if current in dict(options).values() else ALL
        self._draw()

    def _draw(self) -> None:
        if self.model.workshop is None:
            return
        try:
            self._cards.value = gallery_html(self.model.gallery(), self._team.value)
        except MaskingUnavailable:  # shown masked or not at all
            self._cards.value = message("warning", "個人情報を伏せる仕組みが今は使えないため、ギャラリーを表示できません。"
                                                   "しばらくしてから「更新」を押してください。")
