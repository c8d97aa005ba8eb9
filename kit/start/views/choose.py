"""Choosing a workspace on the landing page: join a workshop as a team, or name a
self-study workspace. Both forms are bound to a :class:`kit.start.model.StartModel`."""

from __future__ import annotations

import ipywidgets as widgets

from kit.pages import LANDING
from kit.start.model import StartModel
from kit.store import StoreError
from kit.ui.common import link_button, message
from kit.ui.controls import linked_texts
from kit.workspace import page_link

__all__ = ["JoinForm", "NameChooser"]

_WIDE = widgets.Layout(width="24em")
_LABEL = {"description_width": "6em"}


class JoinForm(widgets.VBox):
    """研修に参加する: the workshop code, the team name and, from a second PC, the 合言葉."""

    def __init__(self, model: StartModel):
        self.model = model
        fields = [("code", "研修コード", "例: K7MPA"), ("team", "チーム名", "例: A班、高知チーム"),
                  ("pin", "合言葉", "2台目から入るときだけ")]
        boxes = linked_texts(model, fields, _WIDE, _LABEL)
        button = widgets.Button(description="参加する", icon="sign-in", button_style="primary")
        button.on_click(lambda _b: self.join())
        self._joined = widgets.HTML()
        super().__init__([
            widgets.HTML("<h3>研修に参加する</h3><p>ファシリテーターが示す<b>研修コード</b>と、"
                         "自分たちの<b>チーム名</b>を入れてください。同じチームの2台目のPCからは、"
                         "最初のPCに出る<b>合言葉</b>も入れます。</p>"),
            *boxes, button, self._joined])

    def join(self) -> None:
        """Join the workshop typed in the form and offer the team's link."""
        try:
            member = self.model.join()
        except ValueError as error:
            self._joined.value = message("error", str(error))
            return
        except StoreError as error:
            self._joined.value = message("error", f"参加の記録を保存できませんでした（{error}）。")
            return
        done = "参加しました" if member.created else "入り直しました"
        self._joined.value = (
            message("ok", f"研修「{member.title}」にチーム「{member.team}」として{done}。"
                          f"合言葉は {member.pin} です。別のPCから同じチームに入るときに使うので、控えてください。")
            + link_button(page_link(LANDING.file, member.access), f"「{member.team}」で始める"))


class NameChooser(widgets.VBox):
    """ひとりで学ぶ: a name, and the link to the landing page in that workspace."""

    def __init__(self, model: StartModel):
        self.model = model
        name = widgets.Text(placeholder="例: 3班、みどり野市 佐藤", description="名前", layout=_WIDE)
        widgets.link((model, "name"), (name, "value"))
        self._go = widgets.HTML()
        model.observe(lambda _change: self._show_link(), "name")
        super().__init__([
            widgets.HTML("<h3>ひとりで学ぶ</h3><b>お名前などを入力して、ワークスペースを選んでください。</b>"
                         "同じ名前で開けば、どのPCからでも続きから作業できます。"),
            widgets.HBox([name, self._go]),
        ])

    def _show_link(self) -> None:
        try:
            name = self.model.checked_name()
        except ValueError as error:
            self._go.value = message("error", str(error)) if self.model.name.strip() else ""
            return
        self._go.value = link_button(page_link(LANDING.file, name), f"「{name}」で始める")
