"""Tab 「4 地図と集計」: where the filtered actors are, how many per category and
area, and where they sit in the ツドレバ frame."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from kit import charts
from kit.steps.actors import domain as act
from kit.steps.actors.charts import area_count_chart, area_points_chart, sample_geojson
from kit.steps.actors.model import ActorsModel
from kit.ui.controls import heading

__all__ = ["MapView", "counts_html", "grid_html", "MAP_POINTS_MAX"]

MAP_POINTS_MAX = 500    # beyond this the map shows counts per area (a point costs ~0.35 KB of SVG)
GRID_NAMES = 6          # names shown per ツドレバ cell


def counts_html(counts: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in counts.columns)
    rows = "".join(f"<tr><th>{html.escape(str(index))}</th>"
                   + "".join(f'<td class="kit-num">{value}</td>' for value in row) + "</tr>"
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
            tds.append(f'<td><small class="kit-cell-note">{note}</small><br>'
                       f"<b>{len(placed)}</b>件: {'、'.join(names) or '—'}{more}</td>")
        rows.append(f"<tr><th>{html.escape(approach)}</th>{''.join(tds)}</tr>")
    return (f'<table class="kit-table kit-tsudoreba"><tr><th>取組区分 ＼ 状態像</th>{head}</tr>'
            f'{"".join(rows)}</table><p><small>＊は登録画面で取組区分か状態像が未入力のため推定した位置です'
            "（取組区分はカテゴリと生活課題から、状態像はサービスの種類から）。対話で確かめて、登録画面で直してください。</small></p>")


class MapView(widgets.VBox):
    """Drawn when shown (``visible()``), else the next time it is shown: the map is
    the slowest part of the page and the filters change often."""

    def __init__(self, visible: Callable[[], bool]):
        self._visible = visible
        self._stale = True
        self.model: ActorsModel | None = None
        self._own_areas = False
        self._map = charts.ChartView()
        self._note = widgets.HTML()
        self._counts = widgets.HTML()
        self._grid = widgets.HTML()
        super().__init__([
            heading("地図"), self._note, self._map, heading("カテゴリ × 地区の数"), self._counts,
            heading("ツドレバの枠組み（沖縄県）: 3つの取組区分 × 高齢者の4つの状態像"),
            widgets.HTML("<p>店を使い続ける・生活の選択肢を増やす・役割をもって活動し続ける、のそれぞれで、"
                         "どの状態の高齢者まで支えられる主体がいるかを見ます。空いている欄が、これから広げたいところです。</p>"),
            self._grid])

    def bind(self, model: ActorsModel, own_areas: bool) -> None:
        """``own_areas``: the workspace brought its own areas, which come without a map."""
        self.model, self._own_areas = model, own_areas
        model.observe(self._changed, ["revision", "type_filter", "category_filter", "area_filter", "status_filter",
                                      "query"])

    @property
    def note_html(self) -> str:
        return self._note.value

    @property
    def map_svg(self) -> str:
        return self._map.value

    def _changed(self, _change=None) -> None:
        self._stale = True
        if self._visible():
            self.draw()

    def shown(self) -> None:
        """The tab was opened: draw what changed since it was last drawn."""
        if self._stale and self.model is not None:
            self.draw()

    def draw(self) -> None:
        self._stale = False
        shown = self.model.filtered()
        located = shown.dropna(subset=["緯度", "経度"])
        geojson = None if self._own_areas else sample_geojson()
        notes = [f"表示中の{len(shown):,}件のうち、位置（緯度・経度）のある{len(located):,}件を示しています。"]
        if len(located) > MAP_POINTS_MAX and geojson is not None:
            notes.append(f"{MAP_POINTS_MAX:,}件を超えるため、点ではなく地区ごとの数で塗り分けています"
                         "（市内全域で活動する主体は各地区に数えます）。絞り込むと点で表示します。")
            chart = area_count_chart(shown, self.model.areas, geojson)
        else:
            if len(located) > MAP_POINTS_MAX:
                notes.append(f"{MAP_POINTS_MAX:,}件を超えるため、先頭の{MAP_POINTS_MAX:,}件だけを点で示しています。")
            if geojson is None:
                notes.append("読み込んだ地区には境界の地図がないため、点だけを表示しています。")
            chart = area_points_chart(located.head(MAP_POINTS_MAX), geojson)
        self._note.value = "<p>" + "".join(html.escape(n) for n in notes) + "</p>"
        self._map.show(chart)
        self._counts.value = counts_html(act.category_area_counts(shown, self.model.areas))
        self._grid.value = grid_html(act.tsudoreba_grid(act.tsudoreba_placement(shown)))
