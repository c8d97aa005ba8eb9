"""Page 03 多様な主体リスト: keep the list of actors, talk with them, see where they
are, and match them with the regional issues.

:class:`ActorsModel` holds the list and everything the user decides about it, and
saves each change to the workspace at once (the list as table ``data/actors``);
:class:`ActorsScreen` is the view. Widgets are built before the request (phase 1);
:meth:`ActorsScreen.open` binds them to the workspace named in the URL (phase 2).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import charts, datasets, maps, masking, vocab
from kit.export import export_filename, to_csv, to_xlsx
from kit.io.normalize import normalize_text
from kit.paths import SAMPLE_TOWN
from kit.steps.actors import domain as act
from kit.steps.actors.model import BACKUP_KEY, DISMISSED_KEY, DRAFT_KEY, OFFERS_KEY
from kit.steps.actors.precedents import closest_for_matches, load_precedents, search
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import saved_issues
from kit.ui.common import Screen, autosave_claim, download_link, message
from kit.ui.saving import (
    LINE_MAX,
    PAUSE,
    SAVE_ERRORS,
    TEXT_MAX,
    Choice,
    Slot,
    Stale,
    SyncedText,
    attempt,
    check_length,
    failure_html,
    keep,
    later,
    mark_saved,
    mask_for_saving,
    masked_notice,
)
from kit.ui.town import own_town_notice
from kit.ui.upload import UploadBox

__all__ = ["PAGE_SIZE", "ActorsModel", "ActorsScreen", "actor_table_html", "counts_html", "grid_html",
           "candidates_html", "issue_summary_html", "precedent_html"]

PAGE_SIZE = 20          # rows of the registry table per page
PICK_LIMIT = 50         # actors offered at once in the edit picker
CANDIDATES_SHOWN = 10   # candidates shown per issue (the rest are counted)
MAP_POINTS_MAX = 500    # beyond this the map shows counts per area (a point costs ~0.35 KB of SVG)
VIEWS_TAB = 3           # index of 「4 地図と集計」
GRID_NAMES = 6          # names shown per ツドレバ cell
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ALL = ""
_NEW = ""
_FULL = widgets.Layout(width="100%")
_SIDE = {"left": "上の値", "right": "下の値", "both": "両方"}
# Lumino caps tab labels at 144px; the page's six labels are a little longer.
_PAGE_STYLE = ("<style>.kit-actors .lm-TabBar-tab, .kit-actors .p-TabBar-tab"
               "{max-width:none !important;flex:0 0 auto !important;padding:0 1em}"
               ".kit-gap td{background:#fdecec}.kit-partial td{background:#fff6e0}</style>")


def _esc(value: object) -> str:
    return html.escape(act.text(value))


def _joined(cell: object, sep: str = "・") -> str:
    return html.escape(sep.join(act.terms(cell)))


# ------------------------------------------------------------------ HTML views (pure)

def actor_table_html(page: pd.DataFrame, area_names: dict[str, str], first: int, total: int) -> str:
    """One page of the registry as a table, with where it sits in the whole."""
    if total == 0:
        return message("info", "条件に合う主体はありません。絞り込みを変えてください。")
    rows = "".join(
        f"<tr><td>{_esc(r['主体ID'])}</td><td><b>{_esc(r['名称'])}</b></td><td>{_esc(r['主体種別'])}</td>"
        f"<td>{_joined(r['カテゴリ'])}</td><td>{_joined(r['対応できる生活課題'])}</td>"
        f"<td>{html.escape('・'.join(act.area_label(c, area_names) for c in act.terms(r['活動地区'])))}</td>"
        f"<td>{_esc(r['連携状況'])}</td></tr>"
        for _, r in page.iterrows())
    head = "".join(f"<th>{h}</th>" for h in ("主体ID", "名称", "主体種別", "カテゴリ", "対応できる生活課題",
                                              "活動地区", "連携状況"))
    return (f'<p class="kit-count">{first + 1}～{first + len(page)}件目 / {total:,}件</p>'
            f'<table class="kit-table kit-actor-table"><tr>{head}</tr>{rows}</table>')


def counts_html(counts: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in counts.columns)
    rows = "".join(f"<tr><th>{html.escape(str(index))}</th>"
                   + "".join(f"<td style='text-align:right'>{value}</td>" for value in row) + "</tr>"
                   for index, row in zip(counts.index, counts.to_numpy()))
    return (f'<table class="kit-table kit-counts"><tr><th>カテゴリ</th>{head}</tr>{rows}</table>'
            "<p><small>2つのカテゴリに当てはまる主体は両方に、全域で活動する主体はすべての地区に数えています。"
            "「計」は各主体を1回だけ数えた数です。</small></p>")


def grid_html(grid: pd.DataFrame) -> str:
    """The ツドレバ frame with the actors placed in it; inferred places are marked ＊."""
    head = "".join(f"<th>{html.escape(state)}</th>" for state in grid.columns)
    rows = []
    for approach, cells in grid.iterrows():
        tds = []
        for state, placed in cells.items():
            names = [html.escape(name) + ("＊" if guessed else "") for name, guessed in placed[:GRID_NAMES]]
            more = f"<br>ほか{len(placed) - GRID_NAMES}件" if len(placed) > GRID_NAMES else ""
            note = html.escape(act.TSUDOREBA_NOTES[(approach, state)])
            tds.append(f"<td><small style='color:#555'>{note}</small><br>"
                       f"<b>{len(placed)}</b>件: {'、'.join(names) or '—'}{more}</td>")
        rows.append(f"<tr><th>{html.escape(approach)}</th>{''.join(tds)}</tr>")
    return (f'<table class="kit-table kit-tsudoreba"><tr><th>取組区分 ＼ 状態像</th>{head}</tr>'
            f'{"".join(rows)}</table><p><small>＊は登録画面で取組区分か状態像が未入力のため推定した位置です'
            "（取組区分はカテゴリと生活課題から、状態像はサービスの種類から）。対話で確かめて、登録画面で直してください。</small></p>")


def issue_summary_html(issues: Sequence[RegionalIssue], matches: pd.DataFrame, gaps: pd.DataFrame,
                       area_names: dict[str, str]) -> str:
    """Every issue with its number of candidates; gaps highlighted."""
    if not issues:
        return message("info", "地域課題がまだありません。02「個別事例から地域課題へ」で地域課題をまとめてください。")
    counts = matches.groupby("課題ID").size()
    state = dict(zip(gaps["課題ID"], gaps["状態"]))
    missing = dict(zip(gaps["課題ID"], gaps["対応する主体がいない生活課題"]))
    rows = []
    for issue in issues:
        status = state.get(issue.id, "候補あり")
        css = {"空白": "kit-gap", "生活課題が未設定": "kit-gap", "一部が空白": "kit-partial"}.get(status, "")
        detail = f"（{'・'.join(missing[issue.id])}）" if missing.get(issue.id) else ""
        where = "・".join(act.area_label(c, area_names) for c in issue.areas) or "市内全域"
        rows.append(f'<tr class="{css}"><td>{_esc(issue.id)}</td><td>{_esc(issue.statement)}</td>'
                    f"<td>{html.escape('・'.join(issue.life_issues))}</td><td>{html.escape(where)}</td>"
                    f"<td style='text-align:right'>{int(counts.get(issue.id, 0))}</td>"
                    f"<td><b>{html.escape(status)}</b>{html.escape(detail)}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("課題ID", "地域課題", "生活課題", "地区", "候補", "状態"))
    return f'<table class="kit-table kit-issue-summary"><tr>{head}</tr>{"".join(rows)}</table>'


def precedent_html(precedent: pd.Series, reason: str = "") -> str:
    """One precedent, folded: its name, and when opened who, how it began, who did what."""
    why = f"<br><small>近い理由: {html.escape(reason)}</small>" if reason else ""
    return (f'<details class="kit-precedent"><summary>{_esc(precedent["事例名"])}'
            f'（{_esc(precedent["地域"])}）</summary><div style="margin:0.3em 1em">'
            f'<b>主体</b>: {_esc(precedent["主体"])}（本業: {_esc(precedent["本業"])}'
            f'{"／" + _esc(precedent["取組形態"]) if precedent["取組形態"] else ""}）<br>'
            f'<b>生活課題</b>: {_joined(precedent["生活課題"])}<br>'
            f'<b>きっかけ</b>: {_esc(precedent["きっかけ"])}<br>'
            f'<b>役割分担</b>: {_esc(precedent["役割分担"])}<br>'
            f'<small>出典: {_esc(precedent["出典"])}</small>{why}</div></details>')


def candidates_html(found: pd.DataFrame, precedents: dict[tuple[str, str], pd.DataFrame]) -> str:
    """The ranked candidates of one issue with their reasons and closest precedents."""
    if found.empty:
        return message("warning", "この課題に対応できる主体はリストにいません（空白）。"
                                  "新しい担い手を探すか、生活課題の近い主体に相談する候補を考えましょう。")
    rows = []
    for match in found.head(CANDIDATES_SHOWN).itertuples(index=False):
        close = precedents.get((match.課題ID, match.主体ID))
        shown = "".join(precedent_html(p, p["理由"]) for _, p in close.iterrows()) if close is not None else ""
        rows.append(f"<tr><td style='text-align:right'>{match.順位}</td><td><b>{_esc(match.名称)}</b><br>"
                    f"<small>{_esc(match.主体種別)}</small></td><td>{_esc(match.理由)}</td>"
                    f"<td>{shown or '—'}</td></tr>")
    more = (f"<p>ほか{len(found) - CANDIDATES_SHOWN}件の候補があります（書き出すと全件を確認できます）。</p>"
            if len(found) > CANDIDATES_SHOWN else "")
    head = "".join(f"<th>{h}</th>" for h in ("順位", "候補", "理由", "参考になる事例"))
    return f'<table class="kit-table kit-candidates"><tr>{head}</tr>{"".join(rows)}</table>{more}'


def _area_points_chart(actors: pd.DataFrame, geojson: dict | None) -> alt.LayerChart | alt.Chart:
    """Actors with coordinates as points, over the town's areas when they are known."""
    points = actors.dropna(subset=["緯度", "経度"]).assign(
        主なカテゴリ=lambda d: d["カテゴリ"].map(lambda c: c[0] if c else "未分類"))[
        ["名称", "主体種別", "主なカテゴリ", "緯度", "経度"]]
    dots = alt.Chart(points).mark_circle(size=70, opacity=0.85, stroke="#fff", strokeWidth=0.5).encode(
        longitude="経度:Q", latitude="緯度:Q",
        color=alt.Color("主なカテゴリ:N", title="主なカテゴリ",
                        scale=alt.Scale(domain=[*vocab.ACTOR_CATEGORIES, "未分類"])),
        tooltip=["名称:N", "主体種別:N"])
    if geojson is None:
        return dots.project("mercator").properties(width=460, height=360)
    data = alt.Data(values=geojson["features"])
    shapes = alt.Chart(data).mark_geoshape(fill="#eef3ea", stroke="#8a9a8a", strokeWidth=1)
    labels = alt.Chart(data).transform_calculate(
        lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]",
        name="datum.properties.地区名").mark_text(fontSize=13, fontWeight="bold", color="#555").encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    return alt.layer(shapes, labels, dots).project("mercator").properties(width=460, height=360)


def _area_count_chart(actors: pd.DataFrame, areas: pd.DataFrame, geojson: dict) -> alt.LayerChart:
    """The areas shaded by how many of ``actors`` work in each (全域 counts everywhere)."""
    codes = areas["地区コード"].tolist()
    counts = pd.Series([c for cell in actors["活動地区"] for c in act.covered_areas(cell, codes)],
                       dtype=object).value_counts()
    values = areas[["地区コード", "地区名"]].assign(主体数=areas["地区コード"].map(counts).fillna(0).astype(int))
    return maps.area_map(geojson, values, "主体数", "地区ごとの主体数")


# ------------------------------------------------------------------ model

class ActorsModel(traitlets.HasTraits):
    """The workspace's list of actors and the user's decisions about it.

    Every method that changes something saves it at once and bumps ``revision``,
    which the view observes."""

    revision = traitlets.Int(0)

    def __init__(self, workspace, actors: pd.DataFrame, areas: pd.DataFrame,
                 issues: Sequence[RegionalIssue]):
        super().__init__()
        self.workspace = workspace
        self.actors = act.normalise(actors)
        self.areas = areas
        self.area_codes = areas["地区コード"].tolist()
        self.area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        self.issues = list(issues)
        self.dismissed: list[list[str]] = workspace.get(DISMISSED_KEY, []) or []
        self.offers: dict[str, str] = workspace.get(OFFERS_KEY, {}) or {}
        self._matches: tuple[int, pd.DataFrame] | None = None
        self._written = workspace.updated_at(datasets.table_key("actors"))

    def _commit(self, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
        """Store ``change`` applied to the list as stored now (the sample town's while
        none is stored), in one transaction: another device's additions stay."""
        key = datasets.table_key("actors")
        self.actors = act.normalise(self.workspace.update_table(
            key, lambda stored: change(act.normalise(stored if stored is not None else datasets.sample("actors")))))
        self._written = self.workspace.updated_at(key)
        self.revision += 1

    def reload(self) -> bool:
        """Read what another device saved since; True (``revision`` bumped) when
        the list or the decisions about it differ from what this page shows."""
        written = self.workspace.updated_at(datasets.table_key("actors"))
        dismissed = self.workspace.get(DISMISSED_KEY, []) or []
        offers = self.workspace.get(OFFERS_KEY, {}) or {}
        if (written, dismissed, offers) == (self._written, self.dismissed, self.offers):
            return False
        if written != self._written:
            self.actors = act.normalise(datasets.for_workspace(self.workspace, "actors"))
            self._written = written
        self.dismissed, self.offers = dismissed, offers
        self.revision += 1
        return True

    # -- the list ----------------------------------------------------------------
    def save_record(self, record: dict, day: date, base: dict | None = None
                    ) -> tuple[str | None, list[str], list]:
        """Save a record typed in the form, its free text masked: ``(主体ID, [], what
        was masked)``, or ``(None, problems, [])`` when it cannot be saved. ``base``
        is the record as the form loaded it: when the stored one differs, another
        device changed it meanwhile and :class:`Stale` is raised with it."""
        problems = act.validate(record, self.area_codes)
        if problems:
            return None, problems, []
        record, found = mask_record(record)
        saved: dict[str, str] = {}

        def change(actors: pd.DataFrame) -> pd.DataFrame:
            if record["主体ID"] and base is not None:
                rows = actors[actors["主体ID"] == record["主体ID"]]
                if len(rows) and _record_text(rows.iloc[0].to_dict()) != _record_text(base):
                    raise Stale(rows.iloc[0].to_dict())
            actors, saved["id"] = act.upsert(actors, record, day)
            return actors

        self._commit(change)
        return saved["id"], [], found

    def delete(self, actor_id: str) -> None:
        self._commit(lambda actors: act.delete(actors, actor_id))

    def record(self, actor_id: str) -> dict | None:
        rows = self.actors[self.actors["主体ID"] == actor_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def import_table(self, incoming: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame]:
        """Add a loaded file, its free text masked, to the list (keeping the list as
        it was, to undo); returns the renamed IDs and what was masked."""
        masked, report = masking.mask_table(incoming, list(act.FREE_TEXT_COLUMNS), id_column="主体ID")
        self.workspace.put_table(BACKUP_KEY, self.actors)
        renamed: dict[str, str] = {}

        def change(actors: pd.DataFrame) -> pd.DataFrame:
            added, found = act.add_imported(actors, masked)
            renamed.update(found)
            return added

        self._commit(change)
        return renamed, report

    def can_undo_import(self) -> bool:
        return self.workspace.get_table(BACKUP_KEY) is not None

    def undo_import(self) -> None:
        before = self.workspace.get_table(BACKUP_KEY)
        if before is not None:
            self.workspace.delete(BACKUP_KEY)
            self._commit(lambda _actors: act.normalise(before))

    # -- duplicates ----------------------------------------------------------------
    def duplicates(self) -> pd.DataFrame:
        return act.find_duplicates(self.actors, self.dismissed)

    def merge(self, keep_id: str, drop_id: str, choices: dict[str, str], day: date) -> None:
        def change(actors: pd.DataFrame) -> pd.DataFrame:
            merged = act.merge_pair(actors, keep_id, drop_id, choices)
            merged.loc[merged["主体ID"] == keep_id, "更新日"] = pd.Timestamp(day)
            return merged

        self._commit(change)

    def dismiss(self, first: str, second: str) -> None:
        self.dismissed = self.workspace.update(DISMISSED_KEY, lambda pairs: [*(pairs or []), [first, second]])
        self.revision += 1

    # -- matching ----------------------------------------------------------------
    def matches(self) -> pd.DataFrame:
        """Candidates of every issue, computed once per revision of the list."""
        if self._matches is None or self._matches[0] != self.revision:
            self._matches = (self.revision, act.match_issues(self.issues, self.actors, self.area_names))
        return self._matches[1]

    def gaps(self) -> pd.DataFrame:
        return act.issue_gaps(self.issues, self.matches())

    def offer_slot(self, issue_id: str) -> Slot:
        """Where the offer for ``issue_id`` (私たちが提供できること) is saved."""
        return Slot(self.workspace, OFFERS_KEY, issue_id)


# Typed in the form; the contact columns (担当者, 電話, メール) and the address are
# kept as typed on purpose: they are the list's contact data, left out of exports
# unless asked for.
_LINE_FIELDS = ("名称", "業種", "担当者", "電話", "メール", "住所", "緯度", "経度")


def mask_record(record: dict) -> tuple[dict, list]:
    """``record`` with its free text (本業・サービス内容 and the four voices) masked,
    after every typed field's length is checked; and what was masked, as
    (欄, Masked) pairs. Raises TooLong or MaskingUnavailable."""
    for column in _LINE_FIELDS:
        check_length(act.text(record.get(column)), LINE_MAX, column)
    masked, found = dict(record), []
    for column in act.FREE_TEXT_COLUMNS:
        result = mask_for_saving(act.text(record.get(column)), TEXT_MAX, column)
        masked[column] = result.text
        found += [(column, item) for item in result.found]
    return masked, found


def _record_text(record: dict) -> dict[str, str]:
    """A record's typed fields as text, to tell whether two versions of it differ."""
    return {column: "・".join(act.terms(record.get(column))) if column in act.MULTI_COLUMNS
            else act.text(record.get(column)) for column in act.COLUMNS if column != "更新日"}


# ------------------------------------------------------------------ small controls

class _CheckGroup(widgets.GridBox):
    """Checkboxes for a multi-valued column; ``value`` is the tuple of ticked values."""

    def __init__(self, options: Sequence[tuple[str, str]], columns: int, css: str):
        self._boxes = {value: widgets.Checkbox(description=label, indent=False,
                                               layout=widgets.Layout(width="auto"))
                       for label, value in options}
        super().__init__(list(self._boxes.values()), layout=widgets.Layout(
            grid_template_columns=f"repeat({columns}, minmax(0, 1fr))", width="100%"))
        self.add_class(css)

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(value for value, box in self._boxes.items() if box.value)

    @value.setter
    def value(self, values: Iterable[str]) -> None:
        wanted = set(values)
        for value, box in self._boxes.items():
            box.value = value in wanted

    def on_change(self, callback: Callable) -> None:
        for box in self._boxes.values():
            box.observe(callback, "value")


def _line(placeholder: str = "") -> widgets.Text:
    return widgets.Text(placeholder=placeholder, layout=widgets.Layout(width="24em"))


def _note(placeholder: str = "") -> widgets.Textarea:
    return widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="4.5em"))


def _options(values: Iterable[str], blank: str) -> list[tuple[str, str]]:
    return [(blank, "")] + [(value, value) for value in values]


def _section(title: str, *children: widgets.Widget, note: str = "", claim: str = "") -> widgets.VBox:
    head = f"<h4 style='margin:0.8em 0 0.2em'>{html.escape(title)}</h4>"
    if note or claim:
        head += f"<div style='color:#555;font-size:12px'>{html.escape(note)}{autosave_claim(claim) if claim else ''}</div>"
    return widgets.VBox([widgets.HTML(head), *children])


# ------------------------------------------------------------------ screen

class ActorsScreen(Screen):
    """The actors page; built before the request, bound to a workspace by ``open``."""

    def __init__(self, store=None, today: Callable[[], date] = date.today):
        super().__init__(store, css_class="kit-actors", css=_PAGE_STYLE)
        self._today = today
        self.model: ActorsModel | None = None
        self.precedents = load_precedents()
        self._build_registry()
        self._build_form()
        self._build_import()
        self._build_views()
        self._build_matching()
        self._build_export()
        self._tabs = widgets.Tab(
            [self._registry_tab, self._form_tab, self._import_tab, self._views_tab, self._matching_tab,
             self._export_tab],
            titles=("1 一覧", "2 登録・編集", "3 読み込みと重複", "4 地図と集計", "5 課題とのマッチング",
                    "6 書き出し"))
        self._views_stale = True
        self._tabs.observe(self._on_tab, "selected_index")

    # -- phase 2 -------------------------------------------------------------------
    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model = ActorsModel(workspace, datasets.for_workspace(workspace, "actors"),
                                 datasets.for_workspace(workspace, "areas"), saved_issues(workspace))
        self._own_areas = datasets.is_uploaded(workspace, "areas")
        practice = to_csv(act.practice_import(act.normalise(datasets.sample("actors"))), "utf-8-sig").data
        self._practice.value = download_link(practice, "練習用_主体リスト.csv",
                                             "練習用のファイル（4件、うち2件は見本のリストと重複）をダウンロード",
                                             "text/csv")
        self._fill_area_controls()
        self.model.observe(lambda _change: self._refresh(), "revision")
        first = self.model.issues[0].id if self.model.issues else ""
        self._offer_text = SyncedText(self._offer, self.model.offer_slot(first), label="私たちが提供できること",
                                      sync=self.sync,
                                      on_saved=lambda text: self.model.offers.update({self._offer_text.slot.entry: text}))
        self._offer_box.children = self._offer_text.widgets
        self._offer.disabled = not first
        self._issue_pick.options = [(f"{i.id} {i.statement}", i.id) for i in self.model.issues]
        self._restore_draft()
        self._refresh()
        self.sync.watch(self.model.reload)
        notice = own_town_notice(workspace, ("actors",), self._data_fixed,
                                 "主体は「2 登録・編集」で一件ずつ入れるか、「3 読み込みと重複」で読み込めます。")
        return [*notice, self._tabs]

    def _refresh(self) -> None:
        self._page = 0
        self._render_registry()
        self._render_picker()
        self._render_duplicates()
        self._render_views()
        self._render_matching()

    # -- 1 一覧 -----------------------------------------------------------------------
    def _build_registry(self) -> None:
        small = widgets.Layout(width="15em")
        self._f_type = widgets.Dropdown(options=_options(vocab.ACTOR_TYPES, "（すべての種別）"), layout=small)
        self._f_category = widgets.Dropdown(options=_options(vocab.ACTOR_CATEGORIES, "（すべてのカテゴリ）"),
                                            layout=small)
        self._f_area = widgets.Dropdown(options=[("（すべての地区）", _ALL)], layout=small)
        self._f_status = widgets.Dropdown(options=_options(vocab.COLLAB_STATUSES, "（すべての連携状況）"),
                                          layout=small)
        self._f_query = widgets.Text(placeholder="名称・業種・本業で探す", layout=small)
        for control in (self._f_type, self._f_category, self._f_area, self._f_status, self._f_query):
            control.observe(lambda _c: self._on_filter(), "value")
        self._table = widgets.HTML()
        self._prev = widgets.Button(description="前へ", icon="chevron-left", layout=widgets.Layout(width="7em"))
        self._next = widgets.Button(description="次へ", icon="chevron-right", layout=widgets.Layout(width="7em"))
        self._prev.on_click(lambda _b: self._turn(-1))
        self._next.on_click(lambda _b: self._turn(1))
        self._dup_notice = widgets.HTML()
        self._page = 0
        self._registry_tab = widgets.VBox([
            widgets.HTML("<p>地域の企業・NPO・社会福祉法人・協同組合・住民団体などの一覧です。"
                         "絞り込みは地図・集計・ツドレバの表示にも反映されます。</p>"),
            widgets.HBox([self._f_type, self._f_category, self._f_area, self._f_status, self._f_query],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self._dup_notice, self._table, widgets.HBox([self._prev, self._next])])

    def filtered(self) -> pd.DataFrame:
        """The list as the filters of tab 1 show it."""
        def chosen(control) -> tuple[str, ...]:
            return (control.value,) if control.value else ()

        return act.filter_actors(self.model.actors, types=chosen(self._f_type),
                                 categories=chosen(self._f_category), areas=chosen(self._f_area),
                                 statuses=chosen(self._f_status), query=self._f_query.value)

    def _on_filter(self) -> None:
        if self.model is None:
            return
        self._page = 0
        self._render_registry()
        self._render_views()

    def _turn(self, step: int) -> None:
        self._page += step
        self._render_registry()

    def _render_registry(self) -> None:
        shown = self.filtered()
        last = max((len(shown) - 1) // PAGE_SIZE, 0)
        self._page = min(max(self._page, 0), last)
        first = self._page * PAGE_SIZE
        self._table.value = actor_table_html(shown.iloc[first:first + PAGE_SIZE], self.model.area_names,
                                             first, len(shown))
        self._prev.disabled = self._page == 0
        self._next.disabled = self._page >= last

    # -- 2 登録・編集 --------------------------------------------------------------------
    def _build_form(self) -> None:
        self._loading = False
        self._editing = ""
        self._pick_query = widgets.Text(placeholder="名称・IDで探す", layout=widgets.Layout(width="16em"))
        self._pick = widgets.Dropdown(options=[("（新しい主体を追加）", _NEW)], layout=widgets.Layout(width="28em"))
        self._pick_query.observe(lambda _c: self._render_picker(), "value")
        self._pick.observe(self._on_pick, "value")
        text, area = _line, _note
        self._fields: dict[str, widgets.Widget] = {
            "名称": text("例: みどり野ストア駅東店"),
            "主体種別": widgets.Dropdown(options=_options(vocab.ACTOR_TYPES, "（選ぶ）")),
            "業種": widgets.Combobox(options=vocab.INDUSTRIES, placeholder="日本標準産業分類（大分類）",
                                   ensure_option=False, layout=widgets.Layout(width="24em")),
            "本業・サービス内容": area("例: 食品スーパー。総菜と日用品も扱う"),
            "本業との関わり": widgets.Dropdown(options=_options(vocab.BUSINESS_RELATIONS, "（選ぶ）")),
            "取組形態": widgets.Dropdown(options=_options(vocab.ENGAGEMENT_FORMS, "（選ぶ）")),
            "連携状況": widgets.Dropdown(options=_options(vocab.COLLAB_STATUSES, "（選ぶ）")),
            "価値を感じていること": area("例: 年配の常連が多く、来店が生活のリズムになっている"),
            "知っていること・やっていること": area("例: 配達のついでに顔を見て声をかけている"),
            "困っていること": area("例: 坂の上の団地からの来店が減った"),
            "できること・やりたいこと": area("例: 休憩スペースを体操とお茶の会に開放できる"),
            "担当者": text(), "電話": text("例: 0120-123-456"), "メール": text("例: info@example.jp"),
            "住所": text(), "緯度": text("例: 36.1058"), "経度": text("例: 139.1627"),
        }
        for label, control in self._fields.items():
            if not isinstance(control, widgets.Textarea):
                control.description = label
                control.style = {"description_width": "7em"}
        self._checks = {
            "カテゴリ": _CheckGroup([(c, c) for c in vocab.ACTOR_CATEGORIES], 4, "kit-check-categories"),
            "対応できる生活課題": _CheckGroup([(t, t) for t in vocab.LIFE_ISSUES], 5, "kit-check-issues"),
            "活動地区": _CheckGroup([(vocab.WHOLE_TOWN, vocab.WHOLE_TOWN)], 6, "kit-check-areas"),
            "ツドレバ取組区分": _CheckGroup([(a, a) for a in vocab.TSUDOREBA_APPROACHES], 3, "kit-check-approaches"),
            "対応できる状態像": _CheckGroup([(s, s) for s in vocab.TSUDOREBA_STATES], 4, "kit-check-states"),
        }
        for column, control in self._fields.items():
            control.observe(self._on_form_change, "value")
            if isinstance(control, (widgets.Text, widgets.Textarea, widgets.Combobox)):
                keep(control, f"{DRAFT_KEY}#{column}")
        self._draft_timer = None
        self._form_base: dict | None = None  # the record as the form loaded it
        self._stale_record: dict | None = None
        self._form_choice = Choice(lambda: self.save_form(force=True), self._reload_record, what="内容")
        for group in self._checks.values():
            group.on_change(self._on_form_change)
        self._area_section = _section("活動地区", self._checks["活動地区"], note="全域 = 市内のすべての地区")
        self._save = widgets.Button(description="保存する", button_style="primary", icon="save")
        self._delete = widgets.Button(description="削除する", button_style="danger", icon="trash")
        self._save.on_click(lambda _b: self.save_form())
        self._delete.on_click(lambda _b: self.delete_current())
        self._form_status = widgets.HTML()
        f = self._fields
        self._form_tab = widgets.VBox([
            widgets.HBox([self._pick_query, self._pick]),
            _section("基本", f["名称"], f["主体種別"], f["業種"], f["連携状況"]),
            _section("本業・サービス内容", f["本業・サービス内容"]),
            _section("本業との関わりと取組形態", widgets.HBox([f["本業との関わり"], f["取組形態"]]),
                     note="取組形態: 本業として展開（移動販売など）／既存事業への波及を期待（店舗での居場所づくりなど）"
                          "／投資的な活動（住民ニーズを探るまちづくりなど）"),
            _section("カテゴリ（プラチナ・サポート・ショップの8分類）", self._checks["カテゴリ"]),
            _section("対応できる生活課題", self._checks["対応できる生活課題"]),
            self._area_section,
            _section("ツドレバの枠組みでの位置", self._checks["ツドレバ取組区分"], self._checks["対応できる状態像"],
                     note="どの取組区分で、どの状態の高齢者まで支えられるか。空欄ならカテゴリから推定します。"),
            _section("対話のメモ（オープン・インタビュー）",
                     *(widgets.VBox([widgets.HTML(f"<b>{label}</b>"), f[label]]) for label in act.VOICE_COLUMNS),
                     note="くつろいだ雰囲気で、はい・いいえで終わらない問いを。気持ちが動いた言葉と、"
                          "話が終わった後のひと言を書き留めます。"),
            _section("連絡先と所在地（個人情報: 書き出しには含めないのが既定です）",
                     f["担当者"], f["電話"], f["メール"], f["住所"], widgets.HBox([f["緯度"], f["経度"]])),
            widgets.HBox([self._save, self._delete]), self._form_status, self._form_choice])

    def _fill_area_controls(self) -> None:
        labels = [(act.area_label(c, self.model.area_names), c) for c in self.model.area_codes]
        self._f_area.options = [("（すべての地区）", _ALL)] + labels
        group = _CheckGroup([(vocab.WHOLE_TOWN, vocab.WHOLE_TOWN)] + labels, 6, "kit-check-areas")
        group.on_change(self._on_form_change)
        self._checks["活動地区"] = group
        self._area_section.children = (*self._area_section.children[:-1], group)

    def _render_picker(self) -> None:
        needle = normalize_text(self._pick_query.value).casefold()
        actors = self.model.actors
        if needle:
            hits = (actors["名称"].fillna("").str.casefold().str.contains(needle, regex=False)
                    | actors["主体ID"].str.casefold().str.contains(needle, regex=False))
            actors = actors[hits]
        current = self._editing
        options = [("（新しい主体を追加）", _NEW)] + [
            (f"{name}（{actor_id}）", actor_id)
            for actor_id, name in zip(actors["主体ID"].head(PICK_LIMIT), actors["名称"].head(PICK_LIMIT))]
        if current and current not in {value for _, value in options}:
            record = self.model.record(current)
            if record is not None:
                options.append((f"{record['名称']}（{current}）", current))
        self._loading = True
        self._pick.options = options
        self._pick.value = current if current in {v for _, v in options} else _NEW
        self._loading = False

    def _on_pick(self, change) -> None:
        if self._loading or self.model is None:
            return
        self.show_record(change["new"] or None)

    def show_record(self, actor_id: str | None) -> None:
        """Fill the form with a saved actor, or empty it for a new one."""
        record = self.model.record(actor_id) if actor_id else None
        self._fill_form(record or act.empty_record())
        self._form_base = record
        self._form_choice.show(False)
        self._delete.disabled = record is None
        self._delete.description = "削除する"
        self._form_status.value = ""

    def _fill_form(self, record: dict) -> None:
        self._loading = True
        for column, control in self._fields.items():
            value = record.get(column)
            if column in ("緯度", "経度"):
                control.value = "" if value is None or pd.isna(value) else f"{float(value):g}"
            else:
                control.value = act.text(value)
        for column, group in self._checks.items():
            group.value = act.terms(record.get(column))
        self._editing = act.text(record.get("主体ID"))
        self._loading = False
        for column in self._kept_fields():
            mark_saved(self._fields[column], self._fields[column].value, self._fields[column].value)

    def _kept_fields(self) -> list[str]:
        return [c for c, control in self._fields.items() if "kit-keep" in control._dom_classes]

    def form_record(self) -> dict:
        """What the form holds, as a record of the list."""
        record = {"主体ID": self._editing}
        for column, control in self._fields.items():
            record[column] = control.value
        for column, group in self._checks.items():
            record[column] = group.value
        for column in ("緯度", "経度"):
            record[column] = _number(record[column])
        return record

    def _on_form_change(self, _change) -> None:
        """What is typed is kept as a draft once typing pauses, so a reload never
        loses it; its free text is masked like the list's."""
        if self._loading or self.model is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.cancel()
        self._draft_timer = later(PAUSE, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        record = self.form_record()
        try:
            masked, _found = mask_record(record)
            draft = {k: (list(v) if isinstance(v, tuple) else v) for k, v in masked.items()}
            self.model.workspace.put(DRAFT_KEY, draft)
        except SAVE_ERRORS as error:
            self._form_status.value = failure_html(error)
            return
        except Exception as error:  # runs outside any cell: the page must still say it failed
            self._form_status.value = message("error", f"下書きを保存できませんでした（予期しない問題: {type(error).__name__}）。")
            return
        for column in self._kept_fields():
            mark_saved(self._fields[column], act.text(self._fields[column].value), act.text(draft.get(column)))

    def _restore_draft(self) -> None:
        draft = self.model.workspace.get(DRAFT_KEY)
        if not draft:
            self.show_record(None)
            return
        self._fill_form(draft)
        self._form_base = self.model.record(self._editing)
        self._delete.disabled = self.model.record(self._editing) is None
        self._form_status.value = message("info", "保存前の入力を復元しました。「保存する」でリストに反映されます。")

    def save_form(self, force: bool = False) -> str | None:
        """Save the form into the list; returns the 主体ID, or None with problems
        shown. ``force`` overwrites what another device saved meanwhile, after the
        page showed it."""
        if self._draft_timer is not None:
            self._draft_timer.cancel()
            self._draft_timer = None
        record = self.form_record()
        bad = [c for c in ("緯度", "経度") if self._fields[c].value.strip() and record[c] is None]
        if bad:
            self._form_status.value = message("error", f"{'・'.join(bad)}は数字で入力してください（例: 36.1058）。")
            return None
        base = self._stale_record if force and self._stale_record is not None else self._form_base
        self._form_choice.show(False)
        try:
            saved, result = attempt(self._form_status, lambda: self.model.save_record(record, self._today(), base))
        except Stale as stale:
            self._stale_record = stale.current
            shown = "".join(f"<tr><td>{html.escape(c)}</td><td>{_cell(stale.current.get(c))}</td></tr>"
                            for c in act.differing_fields(record, stale.current)
                            if c in act.COLUMNS and c != "更新日")
            self._form_status.value = (message("warning", f"{record['主体ID']} は、別のPCで先に書き換えられていました。"
                                                          "この内容はまだ保存していません。どちらを残すか選んでください。")
                                       + f"<table class='kit-table kit-theirs'><tr><th>項目</th>"
                                         f"<th>別のPCで保存された値</th></tr>{shown}</table>")
            self._form_choice.show(True)
            return None
        if not saved:
            return None
        actor_id, problems, found = result
        if problems:
            self._form_status.value = "".join(message("error", p) for p in problems)
            return None
        self._stale_record = None
        attempt(self._form_status, lambda: self.model.workspace.delete(DRAFT_KEY))
        self._editing = actor_id
        self._render_picker()
        self.show_record(actor_id)
        self._form_status.value = message("ok", f"保存しました（主体ID {actor_id}）。") + masked_notice(found)
        return actor_id

    def _reload_record(self) -> None:
        """Take the other device's version of the record into the form."""
        self._stale_record = None
        self.model.reload()
        self.show_record(self._editing or None)
        self._form_status.value = message("info", "別のPCで保存された内容を読み込みました。")

    def delete_current(self) -> None:
        """First click asks, second click deletes."""
        if not self._editing:
            return
        if self._delete.description != "本当に削除する":
            self._delete.description = "本当に削除する"
            self._form_status.value = message("warning", "もう一度押すと、この主体をリストから削除します。")
            return
        removed = self._editing
        if not attempt(self._form_status, lambda: (self.model.delete(removed),
                                                    self.model.workspace.delete(DRAFT_KEY)))[0]:
            return
        self.show_record(None)
        self._form_status.value = message("ok", f"{removed} を削除しました。")

    # -- 3 読み込みと重複 -----------------------------------------------------------------
    def _build_import(self) -> None:
        self._upload = UploadBox("actors", self._on_loaded,
                                 known_areas=lambda: self.model.area_codes if self.model else None)
        self._practice = widgets.HTML()
        self._import_status = widgets.HTML()
        self._undo = widgets.Button(description="読み込む前のリストに戻す", icon="undo")
        self._undo.on_click(lambda _b: self._undo_import())
        self._dup_status = widgets.HTML()
        self._pair_view = widgets.VBox()
        self._merge = widgets.Button(description="統合する", button_style="primary", icon="compress")
        self._keep_both = widgets.Button(description="別の主体として残す", icon="clone")
        self._merge.on_click(lambda _b: self.merge_current())
        self._keep_both.on_click(lambda _b: self.keep_current_apart())
        self._pair_choices: dict[str, widgets.ToggleButtons] = {}
        self._pair: tuple[str, str] | None = None
        self._import_tab = widgets.VBox([
            widgets.HTML("<p>Excel（.xlsx）か CSV の主体リストを読み込むと、今のリストに<b>追加</b>します。"
                         "同じ名称（株式会社・(株)・空白の違いは無視）や同じ電話番号の主体は重複の候補として下に並ぶので、"
                         "1組ずつ、項目ごとにどちらの値を残すか選んで統合してください。</p>"),
            self._practice, self._upload, self._import_status, self._undo,
            widgets.HTML("<h4>重複の候補</h4>"), self._dup_status, self._pair_view,
            widgets.HBox([self._merge, self._keep_both])])

    def _on_loaded(self, result) -> None:
        saved, outcome = attempt(self._import_status, lambda: self.model.import_table(result.data))
        if not saved:
            return
        renamed, report = outcome
        note = (f"主体IDが今のリストと重なった{len(renamed)}件には新しいIDを付けました"
                f"（{'、'.join(f'{a}→{b}' for a, b in list(renamed.items())[:5])}{'…' if len(renamed) > 5 else ''}）。"
                if renamed else "")
        found = [(f"{row.ID} {row.列}", masking.Masked(row.種類, row.元の文字列, 0, 0)) for row in report.itertuples()]
        self._import_status.value = (message("ok", f"{len(result.data)}件をリストに追加しました。{note}")
                                     + masked_notice(found))

    def _undo_import(self) -> None:
        if attempt(self._import_status, self.model.undo_import)[0]:
            self._import_status.value = message("ok", "読み込む前のリストに戻しました。")

    def _render_duplicates(self) -> None:
        self._undo.disabled = not self.model.can_undo_import()
        pairs = self.model.duplicates()
        count = len(pairs)
        self._dup_notice.value = (message("warning", f"重複の可能性がある主体が{count}組あります。"
                                                     "「3 読み込みと重複」で確認してください。") if count else "")
        if not count:
            self._pair = None
            self._dup_status.value = message("ok", "重複の候補はありません。")
            self._pair_view.children = ()
            self._merge.disabled = self._keep_both.disabled = True
            return
        first = pairs.iloc[0]
        self._pair = (first["主体ID_1"], first["主体ID_2"])
        self._dup_status.value = message("warning", f"残り{count}組。{first['理由']}: "
                                                    f"「{first['名称_1']}」と「{first['名称_2']}」")
        self._merge.disabled = self._keep_both.disabled = False
        self._pair_view.children = self._pair_rows(*self._pair)

    def _pair_rows(self, keep_id: str, drop_id: str) -> list[widgets.Widget]:
        left, right = self.model.record(keep_id), self.model.record(drop_id)
        differing = [c for c in act.differing_fields(left, right) if c in act.COLUMNS and c != "更新日"]
        self._pair_choices = {}
        rows = [widgets.HTML(f"<table class='kit-table'><tr><th>項目</th>"
                             f"<th>上: {_esc(keep_id)}（残す主体ID）</th><th>下: {_esc(drop_id)}</th></tr>"
                             + "".join(f"<tr><td>{html.escape(c)}</td><td>{_cell(left[c])}</td>"
                                       f"<td>{_cell(right[c])}</td></tr>" for c in differing)
                             + "</table>")]
        for column in differing:
            options = [(_SIDE[o], o) for o in act.choice_options(column)]
            chosen = act.default_choice(column, left[column], right[column])
            toggle = widgets.ToggleButtons(options=options, value=chosen, description=column,
                                           style={"description_width": "12em", "button_width": "6em"})
            toggle.add_class("kit-merge-choice")
            self._pair_choices[column] = toggle
            rows.append(toggle)
        if not differing:
            rows.append(widgets.HTML("<p>2件の内容は同じです。統合すると1件になります。</p>"))
        return rows

    def merge_current(self) -> None:
        if self._pair is None:
            return
        keep_id, drop_id = self._pair
        choices = {column: toggle.value for column, toggle in self._pair_choices.items()}
        try:
            if not attempt(self._import_status, lambda: self.model.merge(keep_id, drop_id, choices, self._today()))[0]:
                return
        except KeyError:  # another device merged or deleted one of the two meanwhile
            self.model.reload()
            self._import_status.value = message("warning", "この2件は、別のPCで先に統合か削除がされていました。")
            return
        self._import_status.value = message("ok", f"{drop_id} を {keep_id} に統合しました。")

    def keep_current_apart(self) -> None:
        if self._pair is not None:
            attempt(self._dup_status, lambda: self.model.dismiss(*self._pair))

    # -- 4 地図と集計 ------------------------------------------------------------------
    def _build_views(self) -> None:
        self._map = charts.ChartView()
        self._map_note = widgets.HTML()
        self._counts = widgets.HTML()
        self._grid = widgets.HTML()
        self._views_tab = widgets.VBox([
            widgets.HTML("<h4>地図</h4>"), self._map_note, self._map,
            widgets.HTML("<h4>カテゴリ × 地区の数</h4>"), self._counts,
            widgets.HTML("<h4>ツドレバの枠組み（沖縄県）: 3つの取組区分 × 高齢者の4つの状態像</h4>"
                         "<p>店を使い続ける・生活の選択肢を増やす・役割をもって活動し続ける、のそれぞれで、"
                         "どの状態の高齢者まで支えられる主体がいるかを見ます。空いている欄が、これから広げたいところです。</p>"),
            self._grid])

    def _render_views(self) -> None:
        """Draw tab 4 now if it is shown, else when it is next opened: the map is
        the slowest part of the page and filters change often."""
        self._views_stale = True
        if self._tabs.selected_index == VIEWS_TAB:
            self._draw_views()

    def _on_tab(self, change) -> None:
        if change["new"] == VIEWS_TAB and self._views_stale and self.model is not None:
            self._draw_views()

    def _draw_views(self) -> None:
        self._views_stale = False
        shown = self.filtered()
        located = shown.dropna(subset=["緯度", "経度"])
        geojson = None if self._own_areas else _sample_geojson()
        notes = [f"表示中の{len(shown):,}件のうち、位置（緯度・経度）のある{len(located):,}件を示しています。"]
        if len(located) > MAP_POINTS_MAX and geojson is not None:
            notes.append(f"{MAP_POINTS_MAX:,}件を超えるため、点ではなく地区ごとの数で塗り分けています"
                         "（市内全域で活動する主体は各地区に数えます）。絞り込むと点で表示します。")
            chart = _area_count_chart(shown, self.model.areas, geojson)
        else:
            if len(located) > MAP_POINTS_MAX:
                notes.append(f"{MAP_POINTS_MAX:,}件を超えるため、先頭の{MAP_POINTS_MAX:,}件だけを点で示しています。")
            if geojson is None:
                notes.append("読み込んだ地区には境界の地図がないため、点だけを表示しています。")
            chart = _area_points_chart(located.head(MAP_POINTS_MAX), geojson)
        self._map_note.value = "<p>" + "".join(html.escape(n) for n in notes) + "</p>"
        self._map.show(chart)
        self._counts.value = counts_html(act.category_area_counts(shown, self.model.areas))
        self._grid.value = grid_html(act.tsudoreba_grid(act.tsudoreba_placement(shown)))

    # -- 5 課題とのマッチング --------------------------------------------------------------
    def _build_matching(self) -> None:
        self._issue_summary = widgets.HTML()
        self._issue_pick = widgets.Dropdown(description="地域課題", layout=widgets.Layout(width="40em"),
                                            style={"description_width": "5em"})
        self._issue_pick.add_class("kit-issue-pick")
        self._issue_pick.observe(lambda _c: self._render_candidates(), "value")
        self._candidates = widgets.HTML()
        self._offer = widgets.Textarea(layout=widgets.Layout(width="100%", height="4em"),
                                       placeholder=act.DEFAULT_OFFER)
        self._offer_box = widgets.VBox([self._offer])
        self._p_issue = widgets.Dropdown(options=_options(vocab.LIFE_ISSUES, "（すべての生活課題）"),
                                         layout=widgets.Layout(width="15em"))
        self._p_industry = widgets.Dropdown(options=_options(vocab.INDUSTRIES, "（すべての業種）"),
                                            layout=widgets.Layout(width="20em"))
        self._p_query = widgets.Text(placeholder="ことばで探す", layout=widgets.Layout(width="12em"))
        for control in (self._p_issue, self._p_industry, self._p_query):
            control.observe(lambda _c: self._render_precedents(), "value")
        self._p_list = widgets.HTML()
        self._matching_tab = widgets.VBox([
            widgets.HTML("<p>02でまとめた地域課題ごとに、生活課題と活動地区が合う主体を候補として並べます。"
                         "<b>赤</b>はリストに対応できる主体がいない課題（空白）、<b>黄</b>は一部の生活課題に候補がいない課題です。</p>"),
            self._issue_summary, self._issue_pick, self._candidates,
            _section("この課題で、私たちが提供できること", self._offer_box,
                     note="相手へのメッセージになります（書き出しのマッチングリストに入ります）。",
                     claim="自動で保存されます。"),
            widgets.HTML("<h4>取組事例集</h4><p>資料に載っている実際の連携事例です。生活課題や業種で探せます。</p>"),
            widgets.HBox([self._p_issue, self._p_industry, self._p_query]), self._p_list])

    def _render_matching(self) -> None:
        matches, gaps = self.model.matches(), self.model.gaps()
        self._issue_summary.value = issue_summary_html(self.model.issues, matches, gaps, self.model.area_names)
        self._render_candidates()
        self._render_precedents()

    def _current_issue(self) -> RegionalIssue | None:
        return next((i for i in self.model.issues if i.id == self._issue_pick.value), None)

    def _render_candidates(self) -> None:
        if self.model is None:
            return
        issue = self._current_issue()
        if issue is None:
            self._candidates.value = ""
            return
        matches = self.model.matches()
        found = matches[matches["課題ID"] == issue.id]
        close = closest_for_matches(self.precedents, found.head(CANDIDATES_SHOWN), self.model.actors,
                                    self.model.issues)
        self._candidates.value = candidates_html(found, close)
        if self._offer_text.slot.entry != issue.id:
            self._offer_text.bind(self.model.offer_slot(issue.id))

    def _render_precedents(self) -> None:
        found = search(self.precedents, life_issues=(self._p_issue.value,) if self._p_issue.value else (),
                       industry=self._p_industry.value, query=self._p_query.value)
        self._p_list.value = (f"<p>{len(found)}件</p>" + "".join(precedent_html(p) for _, p in found.iterrows())
                              if len(found) else message("info", "条件に合う事例はありません。"))

    # -- 6 書き出し ----------------------------------------------------------------------
    def _build_export(self) -> None:
        self._contacts = widgets.Checkbox(value=False, indent=False,
                                          description="連絡先と所在地（担当者・電話・メール・住所・緯度・経度）を含める")
        self._contacts.observe(self._on_contacts, "value")
        self._contacts_note = widgets.HTML()
        self._encoding = widgets.RadioButtons(
            options=[("Shift_JIS（CP932）: 古い Excel でもそのまま開ける", "cp932"),
                     ("UTF-8（BOM付き）: 機種依存文字も書き出せる", "utf-8-sig")],
            value="cp932", description="CSVの文字コード", style={"description_width": "9em"},
            layout=widgets.Layout(width="auto"))
        self._top = widgets.BoundedIntText(value=3, min=1, max=20, description="課題ごとの候補数",
                                           style={"description_width": "9em"}, layout=widgets.Layout(width="14em"))
        buttons = {
            "list_xlsx": "リストを Excel で", "list_csv": "リストを CSV で",
            "match_xlsx": "マッチングリストを Excel で", "match_csv": "マッチングリストを CSV で",
        }
        self._export_buttons = {}
        for key, label in buttons.items():
            button = widgets.Button(description=label, icon="download", layout=widgets.Layout(width="17em"))
            button.on_click(lambda _b, k=key: self.export(k))
            self._export_buttons[key] = button
        self._export_out = widgets.HTML()
        self._export_out.add_class("kit-export-out")
        b = self._export_buttons
        self._export_tab = widgets.VBox([
            widgets.HTML("<p>リストは絞り込みに関係なく全件を書き出します。マッチングリストは、"
                         "研修イベントで自治体と企業が交換したリストと同じく、課題ごとの候補に"
                         "「一緒に解決したい課題」と「私たちが提供できること」を添えたものです。</p>"),
            self._contacts, self._contacts_note, self._encoding, self._top,
            widgets.HBox([b["list_xlsx"], b["list_csv"]]), widgets.HBox([b["match_xlsx"], b["match_csv"]]),
            self._export_out])

    def _on_contacts(self, change) -> None:
        self._contacts_note.value = (message("warning", "担当者の氏名・電話・メールは個人情報です。"
                                                        "渡す相手と保管のしかたを確かめてから書き出してください。")
                                     if change["new"] else "")

    def export(self, what: str) -> None:
        """Build one export and show its download link (with what was hidden or replaced)."""
        include = self._contacts.value
        day = self._today()
        notes = []
        # Masking a long list takes seconds: say so before the kernel is busy.
        self._export_out.value = message("info", "書き出すファイルを作っています…")
        if what.startswith("list"):
            table, hidden = act.export_table(self.model.actors, include)
            stem, sheets = "多様な主体リスト", {"多様な主体": table}
        else:
            table, hidden = self._matching_table(include)
            gaps = self.model.gaps()
            stem, sheets = "マッチングリスト", {"マッチングリスト": table, "空白の課題": gaps}
        if hidden:
            notes.append(message("info", "自由記述の中の" + masking.summary(hidden)))
        if not include:
            notes.append(message("info", "連絡先と所在地は含めていません。"))
        if what.endswith("xlsx"):
            link = download_link(to_xlsx(sheets), export_filename(stem, "xlsx", day), f"{stem}（Excel）をダウンロード",
                                 XLSX_MIME)
        else:
            encoding = self._encoding.value
            result = to_csv(table, encoding)
            if result.problems:
                shown = "".join(f"<li>{html.escape(p.message)}</li>" for p in result.problems[:10])
                more = f"<li>ほか{len(result.problems) - 10}件</li>" if len(result.problems) > 10 else ""
                notes.append(message("warning", f"Shift_JIS で書けない文字が{len(result.problems)}個あり、"
                                                "置き換えました。UTF-8 を選ぶとそのまま書き出せます。")
                             + f"<ul class='kit-csv-problems'>{shown}{more}</ul>")
            link = download_link(result.data, export_filename(stem, "csv", day), f"{stem}（CSV）をダウンロード",
                                 "text/csv")
        self._export_out.value = link + "".join(notes)

    def _matching_table(self, include_contacts: bool) -> tuple[pd.DataFrame, dict[str, int]]:
        top = self._top.value
        matches = self.model.matches()
        shown = matches[matches["順位"] <= top]
        close = closest_for_matches(self.precedents, shown, self.model.actors, self.model.issues, k=1)
        names = {pair: "、".join(table["事例名"] + "（" + table["地域"] + "）") for pair, table in close.items()}
        return act.matching_list(self.model.issues, shown, self.model.actors, offers=self.model.offers, top=top,
                                 area_names=self.model.area_names, precedent_names=names,
                                 include_contacts=include_contacts)


def _cell(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return _joined(value) or "（空欄）"
    shown = act.text(value)
    return html.escape(shown) if shown.strip() else "<span style='color:#999'>（空欄）</span>"


def _number(value: str) -> float | None:
    text = normalize_text(value)
    try:
        return float(text) if text else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _sample_geojson() -> dict:
    return json.loads((SAMPLE_TOWN / "areas.geojson").read_text(encoding="utf-8"))
