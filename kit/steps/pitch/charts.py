"""The charts of the pitch, from its figures and its cross-sector calculation: drawn
on page 04 and put into both exports as PNG (:mod:`kit.steps.pitch.export`).
Rendering (SVG on the page, PNG for export) is ``kit.charts``' job."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.steps.pitch.cross_sector import CrossSector
from kit.steps.pitch.domain import Figure
from kit.vocab import CROSS_SECTOR_FIELDS

__all__ = ["evidence_chart", "effect_chart"]


def evidence_chart(figures: tuple[Figure, ...]) -> alt.Chart | None:
    """The figures that carry a comparison, each as a pair of bars (area vs town);
    None when no figure has one."""
    rows = []
    for figure in figures:
        if figure.town_value is None:
            continue
        title = f"{figure.label}（{figure.unit}）" if figure.unit else figure.label
        rows += [{"数字": title, "対象": figure.value_label, "種類": "対象", "値": figure.value},
                 {"数字": title, "対象": figure.town_label, "種類": "比較", "値": figure.town_value}]
    if not rows:
        return None
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("値:Q", title=None),
        y=alt.Y("対象:N", title=None, sort=None),
        color=alt.Color("種類:N", legend=None,
                        scale=alt.Scale(domain=["対象", "比較"], range=["#c0392b", "#95a5a6"])),
        tooltip=["数字", "対象", alt.Tooltip("値:Q", format=",.1f")],
    ).properties(width=380, height=50).facet(
        row=alt.Row("数字:N", title=None, sort=list(dict.fromkeys(row["数字"] for row in rows)),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=13)),
    ).resolve_scale(x="independent", y="independent").properties(title="需要の大きさ")


def effect_chart(cross: CrossSector) -> alt.Chart:
    """Two bars: today's spending, and the substitutes stacked by section."""
    rows = [{"区分": "財政支出（いま）", "分野": "財政支出", "万円": cross.spending}]
    rows += [{"区分": "なくした場合の代替費用", "分野": field, "万円": amount}
             for field, amount in cross.by_field().items()]
    return alt.Chart(pd.DataFrame(rows), title="クロスセクター効果（万円/年）").mark_bar().encode(
        x=alt.X("万円:Q", title="万円/年"),
        y=alt.Y("区分:N", title=None, sort=["財政支出（いま）", "なくした場合の代替費用"]),
        color=alt.Color("分野:N", title="分野", sort=["財政支出", *CROSS_SECTOR_FIELDS]),
        tooltip=["区分", "分野", alt.Tooltip("万円:Q", format=",.0f")],
    ).properties(width=420, height=120)
