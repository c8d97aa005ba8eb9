"""The charts of the 地域診断 page, built from the tables of ``kit.steps.assessment.domain``,
``kit.steps.assessment.risk_rules`` and ``kit.reference``. Japanese labels throughout.

Every chart shows all areas, so choosing an area on the page redraws no chart (a
chart costs vl-convert a few hundred milliseconds); given ``code``, the chart draws
that area strong and the others faint, as in an exported picture of one area.
Rendering (SVG on the page, PNG for export) is ``kit.charts``' job."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit import maps, reference, vocab
from kit.reference import PeerRank
from kit.steps.assessment.domain import AGE_GROUP_ORDER, TOWN_NAME

__all__ = ["growth_chart", "share_chart", "support_chart", "certification_chart", "risk_chart",
           "resource_chart", "needs_supply_chart", "compare_chart", "peer_chart", "PNG_CHARTS", "png_chart"]

_WIDTH = 420
_STRONG, _FAINT = 1.0, 0.35
_LEVEL_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]


def _selected(code: str | None) -> alt.Condition | alt.Value:
    if code is None:
        return alt.value(_STRONG)
    return alt.condition(alt.datum.地区コード == code, alt.value(_STRONG), alt.value(_FAINT))


def _area_order(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["地区名"]))


def growth_chart(population: pd.DataFrame, code: str | None = None) -> alt.Chart:
    """Growth (first year = 100) of each age group, one small chart per area."""
    base = int(population["年"].min())
    return alt.Chart(population).mark_line(point=True).encode(
        x=alt.X("年:O", title=None),
        y=alt.Y("伸び:Q", title=f"{base}年=100", scale=alt.Scale(zero=False)),
        color=alt.Color("年齢区分:N", title="年齢区分", sort=list(AGE_GROUP_ORDER)),
        opacity=_selected(code),
        facet=alt.Facet("地区名:N", title=None, columns=3, sort=_area_order(population)),
        tooltip=["地区名", "年齢区分", "年", alt.Tooltip("人口:Q", format=",.0f"),
                 alt.Tooltip("伸び:Q", format=".1f")],
    ).properties(width=150, height=130, title=f"年齢区分ごとの人口の伸び（{base}年=100）")


def share_chart(population: pd.DataFrame, years: tuple[int, int], code: str | None = None) -> alt.Chart:
    """Shares of 65+, 75+ and 85+ per area, first and last year side by side."""
    groups = list(AGE_GROUP_ORDER[2:])
    rows = population[population["年"].isin(years) & population["年齢区分"].isin(groups)]
    return alt.Chart(rows).mark_bar().encode(
        x=alt.X("地区名:N", title=None, sort=_area_order(rows)),
        xOffset=alt.XOffset("年:N"),
        y=alt.Y("割合:Q", title="総人口に占める割合（%）"),
        color=alt.Color("年:N", title="年", scale=alt.Scale(range=["#9ecae1", "#e6550d"])),
        opacity=_selected(code),
        column=alt.Column("年齢区分:N", title=None, sort=groups),
        tooltip=["地区名", "年", "年齢区分", alt.Tooltip("割合:Q", format=".1f")],
    ).properties(width=170, height=220, title=f"高齢者の割合（{years[0]}年と{years[1]}年）")


def support_chart(ratios: pd.DataFrame, code: str | None = None) -> alt.Chart:
    """Working-age people per person aged 85+, over the years, per area."""
    column = ratios.columns[-1]
    return alt.Chart(ratios).mark_line(point=True).encode(
        x=alt.X("年:O", title="年"),
        y=alt.Y(f"{column}:Q", title="人"),
        color=alt.Color("地区名:N", title="地区", sort=_area_order(ratios)),
        opacity=_selected(code),
                tooltip=["地区名", "年", alt.Tooltip(f"{column}:Q", format=".1f")],
    ).properties(width=_WIDTH, height=240, title="85歳以上1人を支える15〜64歳の人数")


def certification_chart(certification: pd.DataFrame, code: str | None = None) -> alt.Chart:
    """認定率 per area, split by level (軽度 in blues)."""
    levels = list(vocab.CERT_LEVELS)
    rows = certification.melt(id_vars=["地区コード", "地区名", "分母"], value_vars=levels,
                              var_name="要介護度", value_name="人数")
    rows["認定率"] = rows["人数"] / rows["分母"] * 100
    rows["順"] = rows["要介護度"].map(levels.index)
    year = int(certification["年"].iloc[0])
    return alt.Chart(rows).mark_bar().encode(
        y=alt.Y("地区名:N", title=None, sort=_area_order(certification)),
        x=alt.X("sum(認定率):Q", title="認定率（%）", stack="zero"),
        color=alt.Color("要介護度:N", sort=levels, scale=alt.Scale(domain=levels, range=_LEVEL_COLOURS),
                        title="要介護度"),
        order=alt.Order("順:Q"),
        opacity=_selected(code),
        tooltip=["地区名", "要介護度", "人数", alt.Tooltip("認定率:Q", format=".1f")],
    ).properties(width=_WIDTH, height=200, title=f"要介護認定率と要介護度の内訳（{year}年）")


def _rate_label(row) -> str:
    return f"{row['該当率'] * 100:.1f}%{' *' if row['参考値'] else ''}"


def risk_chart(rates: pd.DataFrame, rule_name: str, code: str | None = None) -> alt.Chart:
    """Rates of every risk in every area and the town, as a table of colours;
    * marks 参考値, blank cells could not be judged."""
    rows = rates[rates["該当率"].notna()].copy()
    rows["率"] = rows["該当率"] * 100
    rows["表示"] = [_rate_label(row) for _, row in rows.iterrows()]
    base = alt.Chart(rows).encode(
        y=alt.Y("リスク:N", title=None, sort=list(dict.fromkeys(rates["リスク"]))),
        x=alt.X("地区名:N", title=None, sort=_area_order(rates), axis=alt.Axis(orient="top", labelAngle=0)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("率:Q", title="該当率（%）", scale=alt.Scale(scheme="orangered")),
        opacity=_selected(code),
        tooltip=["地区名", "リスク", "該当者数", "分母", "判定不能", alt.Tooltip("率:Q", format=".1f")])
    dark = float(rows["率"].quantile(0.75)) if len(rows) else 0.0  # white text on the darkest cells
    text = base.mark_text(fontSize=11).encode(
        text="表示:N", color=alt.condition(f"datum.率 > {dark}", alt.value("#ffffff"), alt.value("#222222")))
    return alt.layer(cells, text).properties(
        width=alt.Step(62), height=alt.Step(24),
        title=alt.Title(f"リスク該当率（判定方法: {rule_name}）",
                        subtitle="分母は判定できた回答者。* は分母30人未満の参考値"))


def resource_chart(resources: pd.DataFrame, code: str | None = None) -> alt.Chart:
    """Resources per 1,000 people aged 65+, area × kind, with the counts written in."""
    rows = resources.copy()
    rows["表示"] = rows["件数"].astype(str) + "件"
    base = alt.Chart(rows).encode(
        x=alt.X("種別:N", title=None, sort=list(dict.fromkeys(rows["種別"])), axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("地区名:N", title=None, sort=_area_order(rows)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("千人あたり:Q", title="65歳以上千人あたり", scale=alt.Scale(scheme="greens")),
        opacity=_selected(code),
        tooltip=["地区名", "種別", "件数", alt.Tooltip("千人あたり:Q", format=".2f")])
    text = base.mark_text(fontSize=10).encode(text="表示:N")
    return alt.layer(cells, text).properties(width=_WIDTH + 80, height=200,
                                             title="地域資源の数（色は65歳以上千人あたり）")


def needs_supply_chart(table: pd.DataFrame, rule_name: str, code: str | None = None) -> alt.Chart:
    """Risk rate against resources per 1,000: areas above and left of the town's
    lines are 「ニーズ高・資源少」."""
    areas = table[table["地区コード"] != vocab.WHOLE_TOWN]
    town = table[table["地区コード"] == vocab.WHOLE_TOWN]
    risk, kinds = table["リスク"].iloc[0], table["資源"].iloc[0]
    points = alt.Chart(areas).mark_circle(size=160).encode(
        x=alt.X("千人あたり:Q", title=f"{kinds}（65歳以上千人あたり）"),
        y=alt.Y("該当率:Q", title=f"{risk}の該当率（%）"),
        color=alt.condition(alt.datum.見立て == "ニーズ高・資源少", alt.value("#d62728"), alt.value("#1f77b4")),
        opacity=_selected(code),
        tooltip=["地区名", alt.Tooltip("該当率:Q", format=".1f"), "分母",
                 alt.Tooltip("千人あたり:Q", format=".2f"), "見立て"])
    labels = points.mark_text(dx=8, align="left", fontSize=12).encode(text="地区名:N")
    rules = [alt.Chart(town).mark_rule(strokeDash=[4, 3], color="#777777").encode(x="千人あたり:Q"),
             alt.Chart(town).mark_rule(strokeDash=[4, 3], color="#777777").encode(y="該当率:Q")]
    return alt.layer(points, labels, *rules).properties(
        width=_WIDTH, height=280,
        title=alt.Title(f"ニーズ×資源: {risk} × {kinds}",
                        subtitle=f"判定方法: {rule_name}。点線は{TOWN_NAME}の値。赤はニーズ高・資源少"))


def compare_chart(profiles: dict[str, pd.DataFrame], group: str) -> alt.Chart:
    """Growth of one age group (2020 = 100) for the town and what it is compared with."""
    rows = pd.concat([p[p["区分"] == group].assign(比較=name) for name, p in profiles.items()],
                     ignore_index=True)
    rows = rows[rows["伸び"].notna()].astype({"伸び": "float64"})
    names = list(profiles)
    return alt.Chart(rows).mark_line(point=True).encode(
        x=alt.X("年:O", title="年"),
        y=alt.Y("伸び:Q", title="2020年=100", scale=alt.Scale(zero=False)),
        color=alt.Color("比較:N", title=None, sort=names),
        tooltip=["比較", "年", alt.Tooltip("伸び:Q", format=".1f")],
    ).properties(width=_WIDTH, height=240, title=f"{group}人口の伸び（2020年=100）")


def peer_chart(rank: PeerRank, town: str) -> alt.Chart:
    """The distribution among similar-sized municipalities, the town marked."""
    key = rank.metric.key
    peers = rank.peers[["市区町村名", "都道府県", key]].rename(columns={key: "値"})
    bars = alt.Chart(peers).mark_bar(color="#9ecae1").encode(
        x=alt.X("値:Q", bin=alt.Bin(maxbins=30), title=rank.metric.label),
        y=alt.Y("count():Q", title="市区町村数"))
    marker = alt.Chart(pd.DataFrame({"値": [rank.value], "名": [town]})).mark_rule(
        color="#d62728", strokeWidth=3).encode(x="値:Q")
    label = marker.mark_text(align="left", dx=4, dy=-80, color="#d62728", fontSize=12).encode(text="名:N")
    return alt.layer(bars, marker, label).properties(
        width=_WIDTH, height=200, title=f"人口が同程度の市区町村の分布（{rank.low:,}〜{rank.high:,}人）")


# The charts offered as PNG, in the order the page lists them.
PNG_CHARTS: tuple[str, ...] = ("人口の伸び", "高齢者の割合", "85歳以上1人を支える人数", "全国との比較",
                               "同規模の市区町村の中で", "全国の地図", "要介護認定率", "リスク該当率", "地域資源",
                               "ニーズ×資源", "地区の地図")


def png_chart(model, name: str) -> tuple[alt.TopLevelMixin, dict | None]:
    """(chart, datasets for ``kit.charts.to_png``) of one of :data:`PNG_CHARTS`, for the
    choices of ``model`` (an ``AssessmentModel``); the chosen area is drawn strong."""
    m = model
    code = None if m.area == vocab.WHOLE_TOWN else m.area
    if name == "全国の地図":
        metric = m.metric_spec
        return maps.national_map(reference.indicators(), metric.key, m.marked_municipality(), metric.label,
                                 100.0 if metric.kind == "growth" else None)
    make = {
        "人口の伸び": lambda: growth_chart(m.population(), code),
        "高齢者の割合": lambda: share_chart(m.population(), m.years(), code),
        "85歳以上1人を支える人数": lambda: support_chart(m.ratios(), code),
        "全国との比較": lambda: compare_chart(m.profiles(), m.metric_spec.group),
        "同規模の市区町村の中で": lambda: peer_chart(m.peer_rank(), m.town_name),
        "要介護認定率": lambda: certification_chart(m.certification(), code),
        "リスク該当率": lambda: risk_chart(m.rates(), m.rules.name, code),
        "地域資源": lambda: resource_chart(m.resources(), code),
        "ニーズ×資源": lambda: needs_supply_chart(m.needs_supply(), m.rules.name, code),
        "地区の地図": lambda: maps.area_map(m.geojson, m.map_values(), "値", m.map_indicator, code),
    }[name]
    return make(), None
