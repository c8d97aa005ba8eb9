"""Tab 「2 提案キャンバス」: 起承転結, 三方よし and the skeleton of the proposal, one
text box per part, each saved by itself as typing pauses."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.steps.pitch.domain import TEXT_FIELDS
from kit.steps.pitch.model import DRAFT_PREFIX, PitchModel
from kit.ui.controls import heading
from kit.ui.saving import PageSync, Slot, SyncedText
from kit.vocab import THREE_WAY_GAINS

__all__ = ["CanvasView"]


def _section_note(section: str) -> tuple[str, str]:
    """(note, trusted HTML after it) under a section's heading."""
    if section == "三方よし":
        hints = "".join(f"<li><b>{html.escape(party)}</b>: {html.escape('、'.join(gains))}</li>"
                        for party, gains in THREE_WAY_GAINS.items())
        return "相手の目線で書きます。たとえば:", f"<ul>{hints}</ul>"
    if section == "起承転結":
        return "一人の物語から始めて、地域の姿、提案、変わることへ。聞き手が3分で追える順番です。", ""
    if section == "立ち上げの骨組み":
        return "事業立ち上げガイドブックが挙げる、提案が決めておくべき5つの項目です。", ""
    return "", ""


class CanvasView(widgets.VBox):
    """The canvas; its boxes are built before the request, bound to the workspace's
    drafts by :meth:`bind`."""

    def __init__(self, model: PitchModel):
        self._model = model
        self._areas: dict[str, widgets.Textarea] = {}
        self._boxes: dict[str, widgets.VBox] = {}
        self._texts: dict[str, SyncedText] = {}
        children, section = [], None
        for name, (where, label, placeholder) in TEXT_FIELDS.items():
            if where != section:
                section = where
                children.append(heading(where, *_section_note(where)))
            area = widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="4.5em"))
            area.add_class(f"kit-field-{name}")
            self._areas[name] = area
            # Filled with the box, its status and conflict choice once a workspace is open.
            self._boxes[name] = widgets.VBox([area])
            children += [widgets.HTML(f"<b>{html.escape(label)}</b>"), self._boxes[name]]
        super().__init__(children)

    def bind(self, workspace, sync: PageSync) -> None:
        """Show the saved texts; each box saves (masked) under its own key and follows
        what another PC of the team saves in it."""
        for name, area in self._areas.items():
            self._texts[name] = SyncedText(area, Slot(workspace, DRAFT_PREFIX + name), label=TEXT_FIELDS[name][1],
                                           sync=sync, mask=self._model.mask,
                                           on_saved=lambda text, name=name: self._model.text_saved(name, text))
            self._boxes[name].children = self._texts[name].widgets
