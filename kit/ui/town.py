"""The town a workspace is about, on screen: choosing a municipality, the files
still missing for it, reading files, and putting disagreeing files right.

Shared by the landing page and the steps; the choice itself is :mod:`kit.town`.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable

import ipywidgets as widgets

from kit import datasets, reference
from kit import town as tw
from kit import workshop as wk
from kit.io import LoadResult, sum_by_area
from kit.io.schema import SPECS
from kit.store import StoreError
from kit.ui.common import download_link, link_button, message
from kit.ui.upload import UploadBox
from kit.workspace import page_link

__all__ = ["XLSX_MIME", "TownPicker", "missing_data_html", "NoOwnData", "DataRow"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STYLE = {"description_width": "7em"}
_SOURCE_TEXT = {
    datasets.SAMPLE: "見本のまち（みどり野市）のデータ",
    datasets.NATIONAL: "全国のデータ（国勢調査2020・社人研2018年推計）",
    datasets.MISSING: "まだありません",
    datasets.MISMATCH: "読み込んだファイルが地区の一覧と合わないため、使っていません",
}


def _own_town_page(workspace) -> str:
    from kit.pages import OWN_TOWN

    return page_link(OWN_TOWN.file, wk.link_value(workspace))


def missing_data_html(kinds: tuple[str, ...] | list[str], town: tw.Town, workspace, where: str = "",
                      head: str = "") -> str:
    """What a section needs that the own town lacks: which file, who holds it, what
    to ask for, and its template. ``where`` says where on this page to read it."""
    from kit.own_town import domain as own_town

    items = []
    for kind in kinds:
        guide = own_town.KIND_GUIDES[kind]
        template = download_link(own_town.template_xlsx(kind), own_town.template_filename(kind),
                                 "テンプレート（Excel）", XLSX_MIME)
        state = ("読み込んだファイルは地区の一覧と合わないため、使っていません（ページ上の案内を見てください）。"
                 if datasets.source(workspace, kind, town) == datasets.MISMATCH else "")
        items.append(f"<li><b>{html.escape(guide.label)}</b>: {html.escape(state or guide.what)}"
                     f"<br><small>持っている部署: {html.escape(guide.holder)}</small>"
                     f"<br><small>頼むこと: {html.escape(guide.ask)}</small><br>{template}</li>")
    labels = "・".join(own_town.KIND_GUIDES[k].label for k in kinds)
    head = head or f"{town.own_name}の{labels}のデータがまだないため、ここは表示できません。"
    return (message("info", head + (where or ""))
            + f'<ul class="kit-missing-data">{"".join(items)}</ul>'
            + link_button(_own_town_page(workspace), "明日から自分のまちで（データの集め方と依頼文）"))


class NoOwnData(widgets.VBox):
    """A step's page when the own town has none of what the step works on yet: say
    so, offer the template and the import, and offer to practise on the sample town."""

    def __init__(self, kinds: tuple[str, ...], workspace, town: tw.Town, on_practice: Callable[[], None],
                 where: str = ""):
        practise = widgets.Button(description=f"見本のまち「{tw.SAMPLE_NAME}」で練習する", icon="graduation-cap",
                                  layout=widgets.Layout(width="auto"))
        status = widgets.HTML()

        def go(_button) -> None:
            try:
                tw.set_practice(workspace, True)
            except StoreError as error:
                status.value = message("error", f"切り替えを保存できませんでした（{error}）")
                return
            on_practice()

        practise.on_click(go)
        labels = "・".join(datasets.KIND_LABELS[kind] for kind in kinds)
        head = f"{town.own_name}の{labels}は、まだありません。"
        super().__init__([widgets.HTML(missing_data_html(kinds, town, workspace, where, head)), practise, status])
        self.add_class("kit-no-own-data")


class TownPicker(widgets.VBox):
    """Prefecture → municipality (type part of the name) → the workspace's town.

    Built before the visitor arrives; :meth:`bind` ties it to a workspace and
    calls ``on_change(town)`` after every change the user makes."""

    def __init__(self):
        prefectures = reference.prefectures()
        self._prefecture = widgets.Dropdown(
            options=[("（すべて）", "")] + list(zip(prefectures["都道府県"], prefectures["都道府県コード"])),
            description="都道府県", style=_STYLE)
        self._name = widgets.Combobox(placeholder="市区町村名の一部（例: 那珂川、札幌）", description="市区町村",
                                      ensure_option=False, style=_STYLE, layout=widgets.Layout(width="26em"))
        self._wards = widgets.Checkbox(description="区ごとに見る（2020年のみ。推計は市全体）", indent=False,
                                       layout=widgets.Layout(display="none"))
        self._choose = widgets.Button(description="このまちにする", button_style="primary", icon="check",
                                      disabled=True)
        self._back = widgets.Button(description="自分のまちで続ける", icon="arrow-left",
                                    layout=widgets.Layout(display="none", width="auto"))
        self._sample = widgets.Button(description=f"見本のまち「{tw.SAMPLE_NAME}」に戻す", icon="undo",
                                      layout=widgets.Layout(width="auto"))
        self._current = widgets.HTML()
        self._found = widgets.HTML()
        self._status = widgets.HTML()
        self._workspace = None
        self._on_change: Callable[[tw.Town], None] = lambda town: None
        self._code = ""
        self._prefecture.observe(lambda _: self._offer(), "value")
        self._name.observe(lambda _: self._resolve(), "value")
        self._choose.on_click(lambda _: self.choose(self._code, self._wards.value))
        self._sample.on_click(lambda _: self._apply(tw.choose_sample))
        self._back.on_click(lambda _: self._apply(lambda ws: tw.set_practice(ws, False)))
        self._offer()
        super().__init__([self._current, widgets.HBox([self._prefecture, self._name]), self._found, self._wards,
                          widgets.HBox([self._choose, self._back, self._sample]), self._status])
        self.add_class("kit-town-picker")

    def bind(self, workspace, on_change: Callable[[tw.Town], None]) -> None:
        self._workspace, self._on_change = workspace, on_change
        self._show(tw.current(workspace))

    # -- what controls call ---------------------------------------------------------
    def search(self, text: str, prefecture: str = "") -> None:
        """Type ``text`` (and pick ``prefecture``) as a user would."""
        self._prefecture.value = prefecture
        self._name.value = text

    def choose(self, code: str, use_wards: bool = False) -> None:
        if code:
            self._apply(lambda ws: tw.choose_municipality(ws, code, use_wards))

    # -- internals ------------------------------------------------------------------
    def _offer(self) -> None:
        """The names the combobox offers: the prefecture's municipalities, or all."""
        rows = reference.municipalities()
        if self._prefecture.value:
            rows = rows[rows["都道府県コード"] == self._prefecture.value]
        self._labels = dict(zip(self._label(rows), rows["市区町村コード"]))
        self._name.options = list(self._labels)
        self._resolve()

    def _label(self, rows) -> list[str]:
        if self._prefecture.value:
            return list(rows["市区町村名"])
        return [f"{p} {m}" for p, m in zip(rows["都道府県"], rows["市区町村名"])]

    def _resolve(self) -> None:
        """From what is typed to one municipality, or a short list to pick from."""
        text = unicodedata.normalize("NFKC", self._name.value).strip()
        code = self._labels.get(self._name.value, "")
        found = None
        if text and not code:
            found = reference.find_municipalities(text, self._prefecture.value or None)
            if len(found) == 1:
                code = found["市区町村コード"].iloc[0]
        self._code = code
        self._choose.disabled = not code
        designated = bool(code) and len(reference.wards_of(code)) > 0
        self._wards.layout.display = None if designated else "none"
        if not designated:
            self._wards.value = False
        if code:
            row = reference.municipalities().set_index("市区町村コード").loc[code]
            self._found.value = f"<small>{html.escape(row['都道府県'])} {html.escape(row['市区町村名'])}（{code}）</small>"
        elif found is not None and len(found):
            names = "、".join(f"{p}{m}" for p, m in zip(found["都道府県"][:8], found["市区町村名"][:8]))
            more = f" ほか{len(found) - 8}件" if len(found) > 8 else ""
            self._found.value = f"<small>候補: {html.escape(names)}{more}。一つに絞ってください。</small>"
        elif text:
            self._found.value = "<small>見つかりません。都道府県を選ぶと、その市区町村の一覧から選べます。</small>"
        else:
            self._found.value = ""

    def _apply(self, change: Callable[[object], tw.Town]) -> None:
        if self._workspace is None:
            return
        try:
            town = change(self._workspace)
        except StoreError as error:
            self._status.value = message("error", f"まちの選択を保存できませんでした（{error}）")
            return
        self._status.value = ""
        self._show(town)
        self._on_change(town)

    def _show(self, town: tw.Town) -> None:
        if town.own:
            notes = reference.town_tables(town.code, town.use_wards).notes if town.code else ()
            text = f"いまのまち: {town.label}" + "".join(f"<br><small>{html.escape(n)}</small>" for n in notes)
        else:
            text = f"いまのまち: 見本のまち「{tw.SAMPLE_NAME}」"
        self._current.value = f'<div class="kit-town-current">{text if town.own else html.escape(text)}</div>'
        self._back.layout.display = None if town.practice else "none"
        self._sample.layout.display = None if town.own and not town.practice else "none"


class DataRow(widgets.Accordion):
    """Reading one kind of file into the workspace, with where its data come from
    now and a way to take the file back."""

    def __init__(self, kind: str, workspace, on_change: Callable[[], None],
                 known_areas: Callable[[], list[str]] | None = None,
                 check: Callable[[str, object], None] | None = None):
        self._kind, self._workspace, self._on_change = kind, workspace, on_change
        self._check = check
        self._status = widgets.HTML()
        self._undo = widgets.Button(description="読み込んだファイルを取り消す", icon="undo",
                                    layout=widgets.Layout(width="auto"))
        self._undo.on_click(lambda _: self.take_back())
        self.upload = UploadBox(kind, on_loaded=self._loaded, known_areas=known_areas, on_refused=self._refused)
        self._offer = widgets.VBox()
        self._pending = None        # a file refused only for its areas, kept for the user's OK
        super().__init__([widgets.VBox([self._status, self.upload, self._offer, self._undo])],
                         titles=(datasets.KIND_LABELS.get(kind, SPECS[kind].label),))
        self.selected_index = None
        self.refresh()

    @property
    def status_text(self) -> str:
        return html.unescape(self._status.value)

    @property
    def can_take_back(self) -> bool:
        return not self._undo.disabled

    def refresh(self) -> None:
        town = tw.current(self._workspace)
        where = datasets.source(self._workspace, self._kind, town)
        if self._kind not in datasets.KIND_LABELS and not datasets.is_uploaded(self._workspace, self._kind):
            where = datasets.MISSING   # a kind the sample town has no file of (the 町丁字 → 圏域 table)
        if where == datasets.UPLOAD:
            table = self._workspace.get_table(datasets.table_key(self._kind))
            text = f"使用中: 読み込んだファイル（{len(table):,}行）"
        else:
            text = "使用中: " + _SOURCE_TEXT[where]
            if where == datasets.SAMPLE and datasets.is_uploaded(self._workspace, self._kind):
                text += "（練習中。読み込んだファイルは残っています）"
        self._status.value = html.escape(text)
        self._undo.disabled = not datasets.is_uploaded(self._workspace, self._kind)

    def take_back(self) -> None:
        try:
            datasets.delete_upload(self._workspace, self._kind)
        except StoreError as error:
            self._status.value = message("error", f"取り消せませんでした（{error}）")
            return
        self.refresh()
        self._on_change()

    def _loaded(self, result: LoadResult) -> None:
        # Raises ValueError (Japanese) to refuse: the upload box shows it and nothing is stored.
        self._offer.children = ()
        if self._check is not None:
            self._check(self._kind, result.data)
        datasets.put_upload(self._workspace, self._kind, result.data)
        self.refresh()
        self._on_change()

    def _refused(self, _result: LoadResult) -> None:
        """A file refused only because it names areas the list in use lacks: sum
        it per area through the workspace's 町丁字 → 圏域 table when there is one;
        else, while the user has no area list of their own, offer to make the list
        from it."""
        self._offer.children = ()
        if self._kind not in datasets.AREA_COLUMNS or self._kind == "actors":
            return
        free = self.upload.read_with(None)
        if free is None or not free.ok:
            return
        if datasets.is_uploaded(self._workspace, "area_map"):
            self._offer_sum(free.data)
            return
        if datasets.is_uploaded(self._workspace, "areas"):
            return
        codes = datasets.area_codes(free.data, self._kind)
        shown = "、".join(codes[:5]) + (f" ほか{len(codes) - 5}件" if len(codes) > 5 else "")
        self._pending = free.data
        make = widgets.Button(description="このファイルから地区の一覧を作って読み込む", button_style="warning",
                              icon="list", layout=widgets.Layout(width="auto"))
        make.on_click(lambda _: self.make_areas())
        self._offer.children = [widgets.HTML(message(
            "warning", f"このファイルの地区（{len(codes)}件: {shown}）は、いまの地区の一覧にありません。"
                       "自分のまちの地区の一覧がまだないので、このファイルの地区から作れます。"
                       "作ると、このワークスペースは自分のまちのデータで動きます（見本のまちのデータは使いません）。")),
            make]

    def _offer_sum(self, table) -> None:
        summed = sum_by_area(table, self._workspace.get_table(datasets.table_key("area_map")), self._kind)
        known = set(datasets.for_workspace(self._workspace, "areas")["地区コード"])
        stray = sorted(set(summed.data["地区コード"].dropna().astype(str)) - known)
        if not summed.small_areas or stray:
            why = (f"対応表の地区コード（{'、'.join(stray[:5])}）が地区の一覧にありません" if stray
                   else "このファイルの地区は、対応表の町丁字とも合いません")
            self._offer.children = [widgets.HTML(message("error", f"{why}。対応表か地区の一覧を確かめてください。"))]
            return
        self._pending = summed.data
        use = widgets.Button(description="対応表で圏域ごとに集計して読み込む", button_style="warning", icon="compress",
                             layout=widgets.Layout(width="auto"))
        use.on_click(lambda _: self.sum_by_map())
        self._offer.children = [widgets.HTML(message("warning", "このファイルは町丁字ごとのようです。"
                                                                f"{summed.summary()}")), use]

    def make_areas(self) -> None:
        """The user's OK to make the area list from the refused file."""
        self._store_pending(areas=True)

    def sum_by_map(self) -> None:
        """The user's OK to read the refused file summed per area through the map."""
        self._store_pending(areas=False)

    def _store_pending(self, areas: bool) -> None:
        """The user's OK: store the file kept for it (and, with ``areas``, the area
        list made from it first)."""
        table, self._pending = self._pending, None
        if table is None:
            return
        try:
            if self._check is not None:
                self._check(self._kind, table)
            if areas:
                datasets.put_upload(self._workspace, "areas", datasets.areas_from(table, self._kind))
            datasets.put_upload(self._workspace, self._kind, table)
        except ValueError as error:
            self._offer.children = [widgets.HTML(message("error", str(error)))]
            return
        except StoreError as error:
            self._offer.children = [widgets.HTML(message("error", f"保存できませんでした（{error}）"))]
            return
        done = ("地区の一覧を作り、ファイルを読み込みました。地区名は「地区の一覧」のファイルで直せます。" if areas
                else "圏域ごとに集計して読み込みました。")
        self._offer.children = [widgets.HTML(message("ok", done))]
        self.refresh()
        self._on_change()


def own_town_notice(workspace, kinds: tuple[str, ...], on_practice: Callable[[], None],
                    where: str = "") -> list[widgets.Widget]:
    """What a step shows above its work when the own town has none of ``kinds`` yet
    (nothing otherwise): the step then starts empty, never on the sample town's data."""
    town = tw.current(workspace)
    lacking = tuple(kind for kind in kinds if datasets.source(workspace, kind, town) in
                    (datasets.MISSING, datasets.MISMATCH))
    return [NoOwnData(lacking, workspace, town, on_practice, where)] if lacking else []
