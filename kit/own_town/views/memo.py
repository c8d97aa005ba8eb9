"""3 依頼文をつくる: the memo's form (saved without the user's name and contact),
its preview in the same paragraphs as the Word file, and the Word file."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.own_town import domain as ot
from kit.own_town.model import MEMO_KEY, OwnTownModel
from kit.own_town.views.checklist import last_saved_html
from kit.store import StoreError
from kit.ui.common import download_link, message
from kit.ui.controls import linked_texts
from kit.ui.saving import saved_html

__all__ = ["MemoPanel", "memo_html"]

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TEXT = widgets.Layout(width="34em")
_LABEL = {"description_width": "7em"}
_SAVED_FIELDS = ("organisation", "addressee", "kinds", "deadline")


def memo_html(memo: ot.Memo) -> str:
    """The memo as the page previews it: the same paragraphs as the Word file."""
    parts = "".join(f'<p class="kit-memo-{style}">{html.escape(text)}</p>' for style, text in ot.memo_paragraphs(memo))
    return f'<div class="kit-memo-preview">{parts}</div>'


class MemoPanel(widgets.VBox):
    def __init__(self, model: OwnTownModel):
        self.model = model
        texts = [("addressee", "宛先の部署", "例: 市民課 住民記録係"),
                 ("organisation", "自分の所属", "例: みどり野市 地域包括ケア推進課"),
                 ("name", "自分の名前", "例: 佐藤 花子（保存しません）"),
                 ("contact", "連絡先", "例: 内線 1234（保存しません）")]
        fields = linked_texts(model, texts, _TEXT, _LABEL)
        deadline = widgets.DatePicker(description="提出の期限", style=_LABEL)
        widgets.link((model, "deadline"), (deadline, "value"))
        self._kinds = {kind: widgets.Checkbox(description=guide.label, indent=False,
                                              layout=widgets.Layout(width="auto"))
                       for kind, guide in ot.KIND_GUIDES.items()}
        for kind, box in self._kinds.items():
            box.add_class(f"kit-memo-kind-{kind}")
            box.observe(self._on_kind, "value")
        self._holders, self._status, self._problems = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self._preview, self._link = widgets.HTML(), widgets.HTML()
        self._button = widgets.Button(description="依頼文（Word）を作る", icon="file-word-o",
                                      button_style="primary", layout=widgets.Layout(width="16em"))
        self._button.on_click(lambda _b: self.make_memo())
        model.observe(self._on_saved_field, _SAVED_FIELDS)
        model.observe(lambda _change: self._show(), ("name", "contact"))
        super().__init__([
            widgets.HTML("<h3>3 依頼文をつくる</h3><p>宛先の部署ごとに1通つくります。"
                         "Word で開いて、所属の様式に合わせて直してから送ってください。"
                         "名前と連絡先は依頼文に入れるだけで、保存しません（ページを開き直すと空になります）。</p>"),
            *fields, deadline,
            widgets.HTML("<b>頼むデータ</b>（同じ部署が持っているものを選びます）"),
            widgets.VBox(list(self._kinds.values())), self._holders,
            self._status, self._problems, self._preview,
            widgets.HBox([self._button, self._link]),
        ])

    def bind(self) -> None:
        """Show the loaded model."""
        self._status.value = last_saved_html(self.model.saved_at(MEMO_KEY))
        self._show()

    def _on_kind(self, _change) -> None:
        self.model.kinds = tuple(kind for kind, box in self._kinds.items() if box.value)

    def _on_saved_field(self, _change) -> None:
        try:
            if self.model.save_memo():
                self._status.value = saved_html()
        except StoreError as error:
            self._status.value = message("error", f"依頼文の入力を保存できませんでした。内容を控えてください。（{error}）")
        self._show()

    def _show(self) -> None:
        memo = self.model.memo()
        for kind, box in self._kinds.items():
            box.value = kind in memo.kinds
        holders = "".join(f"<li><b>{html.escape(ot.KIND_GUIDES[kind].label)}</b>: "
                          f"{html.escape(ot.KIND_GUIDES[kind].holder)}</li>" for kind in memo.kinds)
        self._holders.value = (f'<p class="kit-memo-holders">選んだデータを持っているところ:</p><ul>{holders}</ul>'
                               if holders else "")
        problems = memo.problems()
        self._problems.value = "".join(message("info", text) for text in problems)
        self._button.disabled = bool(problems)
        self._preview.value = memo_html(memo)
        self._link.value = ""

    def make_memo(self) -> bytes | None:
        """Make the memo as a Word file and offer it for download."""
        memo = self.model.memo()
        if memo.problems():
            return None
        data = ot.memo_docx(memo)
        name = ot.memo_filename(memo)
        self._link.value = download_link(data, name, f"{name} を保存", _DOCX)
        return data
