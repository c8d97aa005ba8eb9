"""Page 07 明日から自分のまちで: for each kind of data, what it is, who holds it and
what to ask for, with its template; the data-request memo (依頼文) as a Word file;
the checklist of what was asked for, received and loaded, saved in the workspace.

The guides and forms are built before any request (Voilà's preheated kernel); the
workspace's checklist and memo form are read in :meth:`OwnTownScreen._bind`.
Templates and the memo are made when asked for, so a kernel that only shows the
page never loads openpyxl or python-docx.
"""

from __future__ import annotations

import html
from datetime import datetime
from functools import partial

import ipywidgets as widgets

from kit import datasets
from kit import workshop as wk
from kit.own_town import domain as ot
from kit.pages import LANDING, STEPS
from kit.start.screen import UPLOADED_ON_STEP_PAGE
from kit.store import StoreError
from kit.ui.common import Screen, download_link, message
from kit.workspace import page_link

__all__ = ["OwnTownScreen"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TITLES = {page.file: page.title for page in (LANDING, *STEPS)}
_TEXT = widgets.Layout(width="34em")
_LABEL = {"description_width": "7em"}
_CSS = ("<style>"
        ".kit-own-town .kit-check-grid { display: grid; grid-template-columns: 18em 7em 8em 1fr;"
        " align-items: center; gap: 0 0.5em; }"
        ".kit-own-town .kit-check-head { font-weight: 600; border-bottom: 1px solid #d0d7de; }"
        ".kit-own-town dl.kit-guide dt { font-weight: 600; margin-top: 0.4em; }"
        ".kit-own-town dl.kit-guide dd { margin: 0 0 0 1em; }"
        ".kit-own-town .kit-memo-preview { border: 1px solid #d0d7de; padding: 1.2em 1.6em; max-width: 42em;"
        " font-family: 'Noto Serif CJK JP','Yu Mincho','MS Mincho',serif; line-height: 1.7; background: #fff; }"
        ".kit-own-town .kit-memo-preview p { margin: 0.2em 0; }"
        ".kit-own-town .widget-html a { color: #1f5f99; text-decoration: underline; }"
        "</style>")


def _saved(now: datetime | None = None) -> str:
    return (f'<span class="kit-saved" style="color:#1d6b35">保存しました '
            f'({(now or datetime.now()):%H:%M:%S})</span>')


def _last_saved(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f'<span class="kit-saved" style="color:#555">前回の保存: {moment.astimezone():%m/%d %H:%M}</span>'


def _memo_html(memo: ot.Memo) -> str:
    """The memo as the page previews it: the same paragraphs as the Word file."""
    align = {"right": "right", "center": "center", "title": "center"}
    parts = []
    for style, text in ot.memo_paragraphs(memo):
        css = f"text-align:{align.get(style, 'left')}"
        if style == "title":
            css += ";font-weight:700;font-size:1.15em;margin:0.8em 0"
        elif style == "detail":
            css += ";margin-left:2em"
        parts.append(f'<p style="{css}">{html.escape(text)}</p>')
    return f'<div class="kit-memo-preview">{"".join(parts)}</div>'


class OwnTownScreen(Screen):
    """The page: checklist, one guide per kind with its template, and the memo form."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-own-town", css=_CSS)
        self._filling = False
        self._link: str | None = None   # the workspace as links carry it
        # -- checklist
        self._ticks = {(kind, step): widgets.Checkbox(description=label, indent=False,
                                                      layout=widgets.Layout(width="auto"))
                       for kind in ot.KIND_GUIDES for step, label in ot.CHECK_STEPS.items()}
        for (kind, step), box in self._ticks.items():
            box.observe(partial(self._on_tick, kind, step), "value")
            box.add_class(f"kit-check-{kind}-{step}")
        self._loaded = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        self._check_status = widgets.HTML()
        # -- guides and templates
        self._guides = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        self._template_links = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        guide_panels = []
        for kind, guide in ot.KIND_GUIDES.items():
            button = widgets.Button(description="ひな型（Excel）を作る", icon="file-excel-o",
                                    layout=widgets.Layout(width="16em"))
            button.on_click(lambda _b, kind=kind: self.make_template(kind))
            panel = widgets.VBox([self._guides[kind], widgets.HBox([button, self._template_links[kind]])])
            panel.add_class(f"kit-guide-{kind}")
            guide_panels.append(panel)
        self._guide_list = widgets.Accordion(guide_panels,
                                             titles=tuple(g.label for g in ot.KIND_GUIDES.values()))
        self._guide_list.selected_index = None
        # -- memo
        self._addressee = widgets.Text(description="宛先の部署", placeholder="例: 市民課 住民記録係",
                                       layout=_TEXT, style=_LABEL)
        self._organisation = widgets.Text(description="自分の所属", placeholder="例: みどり野市 地域包括ケア推進課",
                                          layout=_TEXT, style=_LABEL)
        self._name = widgets.Text(description="自分の名前", placeholder="例: 佐藤 花子（保存しません）",
                                  layout=_TEXT, style=_LABEL)
        self._contact = widgets.Text(description="連絡先", placeholder="例: 内線 1234（保存しません）",
                                     layout=_TEXT, style=_LABEL)
        self._deadline = widgets.DatePicker(description="提出の期限", style=_LABEL)
        self._memo_kinds = {kind: widgets.Checkbox(description=guide.label, indent=False,
                                                   layout=widgets.Layout(width="auto"))
                            for kind, guide in ot.KIND_GUIDES.items()}
        for kind, box in self._memo_kinds.items():
            box.add_class(f"kit-memo-kind-{kind}")
        self._holders = widgets.HTML()
        self._memo_status = widgets.HTML()
        self._memo_problems = widgets.HTML()
        self._preview = widgets.HTML()
        self._memo_button = widgets.Button(description="依頼文（Word）を作る", icon="file-word-o",
                                           button_style="primary", layout=widgets.Layout(width="16em"))
        self._memo_button.on_click(lambda _b: self.make_memo())
        self._memo_link = widgets.HTML()
        for control in (self._addressee, self._organisation, self._deadline, *self._memo_kinds.values()):
            control.observe(self._on_memo_saved_field, "value")
        for control in (self._name, self._contact):
            control.observe(self._on_memo_private_field, "value")

    # -- phase 2 ---------------------------------------------------------------
    def _bind(self, workspace) -> list[widgets.Widget]:
        self._link = link = wk.link_value(workspace)
        for kind, guide in ot.KIND_GUIDES.items():
            self._guides[kind].value = self._guide_html(guide, link)
        self._fill(workspace)
        return [
            widgets.HTML("<h3>1 チェックリスト</h3><p>どのデータを頼んだか、受け取ったかに印を付けます。"
                         "印はこのワークスペースに保存され、次に開いたときも残っています。"
                         "「キットでは」の欄は、このワークスペースに自分のデータを読み込んだかどうかです。</p>"),
            self._checklist_box(), self._check_status,
            widgets.HTML("<h3>2 データごとの頼み方とひな型</h3><p>データの名前を押すと、だれが持っているか、"
                         "何を頼めばよいか、キットで何に使うかが開きます。ひな型は1枚目に列名と見本のまちの例、"
                         "2枚目に列ごとの書き方が入った Excel です。依頼文に添えて渡せます。</p>"),
            self._guide_list,
            widgets.HTML("<h3>3 依頼文をつくる</h3><p>宛先の部署ごとに1通つくります。"
                         "Word で開いて、所属の様式に合わせて直してから送ってください。"
                         "名前と連絡先は依頼文に入れるだけで、保存しません（ページを開き直すと空になります）。</p>"),
            self._addressee, self._organisation, self._name, self._contact, self._deadline,
            widgets.HTML("<b>頼むデータ</b>（同じ部署が持っているものを選びます）"),
            widgets.VBox(list(self._memo_kinds.values())), self._holders,
            self._memo_status, self._memo_problems, self._preview,
            widgets.HBox([self._memo_button, self._memo_link]),
        ]

    def _fill(self, workspace) -> None:
        """Show what the workspace holds, without saving it back."""
        self._filling = True
        try:
            for kind, steps in ot.checklist(workspace).items():
                for step, ticked in steps.items():
                    self._ticks[kind, step].value = ticked
            memo = ot.Memo.from_saved(workspace.get(ot.MEMO_KEY))
            self._addressee.value, self._organisation.value = memo.addressee, memo.organisation
            self._deadline.value = memo.deadline
            for kind, box in self._memo_kinds.items():
                box.value = kind in memo.kinds
        finally:
            self._filling = False
        self._check_status.value = _last_saved(workspace.updated_at(ot.CHECKLIST_KEY))
        self._memo_status.value = _last_saved(workspace.updated_at(ot.MEMO_KEY))
        self._show_loaded()
        self._show_memo()

    # -- checklist ---------------------------------------------------------------
    def _checklist_box(self) -> widgets.Box:
        cells: list[widgets.Widget] = [widgets.HTML(f'<span class="kit-check-head">{text}</span>')
                                       for text in ("データ", *ot.CHECK_STEPS.values(), "キットでは")]
        for kind, guide in ot.KIND_GUIDES.items():
            cells += [widgets.HTML(html.escape(guide.label)),
                      *(self._ticks[kind, step] for step in ot.CHECK_STEPS), self._loaded[kind]]
        box = widgets.Box(cells)
        box.add_class("kit-check-grid")
        return box

    def _show_loaded(self) -> None:
        for kind in ot.KIND_GUIDES:
            page = UPLOADED_ON_STEP_PAGE.get(kind, LANDING)
            href = html.escape(page_link(page.file, self._link))
            if datasets.is_uploaded(self.workspace, kind):
                self._loaded[kind].value = '<span style="color:#1d6b35">✓ 読み込み済み</span>'
            else:
                self._loaded[kind].value = (f'まだ（見本のまち）— <a href="{href}">「{html.escape(page.title)}」'
                                            "で読み込む</a>")

    def _on_tick(self, kind: str, step: str, change) -> None:
        if self._filling or self.workspace is None:
            return
        try:
            ot.tick(self.workspace, kind, step, change["new"])
        except StoreError as error:
            self._check_status.value = message(
                "error", f"印を保存できませんでした。もう一度押すか、紙に控えてください。（{error}）")
            return
        self._check_status.value = _saved()

    # -- guides ------------------------------------------------------------------
    @staticmethod
    def _guide_html(guide: ot.KindGuide, link: str | None) -> str:
        pages = "、".join(f'<a href="{html.escape(page_link(file, link))}">{html.escape(_TITLES[file])}</a>'
                         for file in guide.pages)
        rows = (("どんなデータか", guide.what), ("持っているところ", guide.holder), ("頼むこと", guide.ask),
                ("頼むときのこつ", guide.tip), ("キットでの使い道", guide.why))
        items = "".join(f"<dt>{title}</dt><dd>{html.escape(text)}</dd>" for title, text in rows)
        return f'<dl class="kit-guide">{items}<dt>使うページ</dt><dd>{pages}</dd></dl>'

    def make_template(self, kind: str) -> bytes:
        """Make ``kind``'s template and offer it for download."""
        data = ot.template_xlsx(kind)
        self._template_links[kind].value = download_link(
            data, ot.template_filename(kind), f"{ot.template_filename(kind)} を保存", _XLSX)
        return data

    # -- memo --------------------------------------------------------------------
    def memo(self) -> ot.Memo:
        return ot.Memo(organisation=self._organisation.value.strip(), addressee=self._addressee.value.strip(),
                       kinds=tuple(kind for kind, box in self._memo_kinds.items() if box.value),
                       deadline=self._deadline.value, name=self._name.value.strip(),
                       contact=self._contact.value.strip())

    def _on_memo_saved_field(self, _change) -> None:
        if self._filling or self.workspace is None:
            return
        try:
            self.workspace.put(ot.MEMO_KEY, self.memo().saved())
        except StoreError as error:
            self._memo_status.value = message(
                "error", f"依頼文の入力を保存できませんでした。内容を控えてください。（{error}）")
        else:
            self._memo_status.value = _saved()
        self._show_memo()

    def _on_memo_private_field(self, _change) -> None:
        if not self._filling:
            self._show_memo()

    def _show_memo(self) -> None:
        memo = self.memo()
        holders = "".join(f"<li><b>{html.escape(ot.KIND_GUIDES[kind].label)}</b>: "
                          f"{html.escape(ot.KIND_GUIDES[kind].holder)}</li>" for kind in memo.kinds)
        self._holders.value = (f'<p style="margin:0.3em 0">選んだデータを持っているところ:</p><ul>{holders}</ul>'
                               if holders else "")
        problems = memo.problems()
        self._memo_problems.value = "".join(message("info", text) for text in problems)
        self._memo_button.disabled = bool(problems)
        self._preview.value = _memo_html(memo)
        self._memo_link.value = ""

    def make_memo(self) -> bytes | None:
        """Make the memo as a Word file and offer it for download."""
        memo = self.memo()
        if memo.problems():
            return None
        data = ot.memo_docx(memo)
        name = ot.memo_filename(memo)
        self._memo_link.value = download_link(data, name, f"{name} を保存", _DOCX)
        return data
