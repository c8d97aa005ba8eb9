"""Interaction latencies of the 地域診断 page, in the kernel, as figures and as ratios
to baselines measured in the same run.

Each interaction is what a control's change runs on the server (model update,
tables, charts), measured by driving the page's widgets as a browser would, on a
fresh workspace store and chart cache:

- phase 1: building the page in a preheated kernel, which draws each tab's first
  view into the shared chart cache (a server's first kernel) or reads it (the others);
- cold: the first time anyone on the server makes a choice after that (charts drawn);
- warm: the same choice again from a new page (charts from the shared cache).

Baselines: a trivial widget update (a Dropdown change with one observer that sets
an HTML widget), and drawing a trivial Altair chart to SVG (the floor of any chart).
The national comparison runs over all 1,741 municipalities: choosing municipalities
across Japan, and ranking the town among similar-sized ones for every metric.
Figures only: this machine is shared and noisy, so nothing here asserts.

    python bench/bench_assessment.py [--samples 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

_WORK = Path(tempfile.mkdtemp(prefix="kit-bench-assessment-"))
os.environ["KIT_STORE"] = str(_WORK / "store.sqlite")
os.environ["KIT_CHART_CACHE"] = str(_WORK / "charts")


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _baselines(samples: int) -> tuple[float, float]:
    import altair as alt
    import ipywidgets as widgets

    from kit import charts

    choice = widgets.Dropdown(options=[str(i) for i in range(10)])
    shown = widgets.HTML()
    choice.observe(lambda change: setattr(shown, "value", f"<b>{change['new']}</b>"), "value")
    widget_ms = statistics.median(_timed(lambda i=i: setattr(choice, "value", str(i % 10)))
                                  for i in range(1, samples * 10))
    charts.warm_up()
    trivial = alt.Chart(alt.Data(values=[{"x": "a", "y": 1}, {"x": "b", "y": 2}])).mark_bar().encode(
        x="x:N", y="y:Q")
    chart_ms = statistics.median(_timed(lambda: charts.to_svg(trivial)) for _ in range(samples))
    return widget_ms, chart_ms


def _control(widget, label: str):
    """The first control labelled ``label`` in a widget tree, as a visitor finds it."""
    if getattr(widget, "description", None) == label:
        return widget
    return next((found for child in getattr(widget, "children", ()) if (found := _control(child, label))), None)


def _interactions(screen, samples: int, rng) -> dict[str, list[float]]:
    """name → latencies (ms) of each interaction, driven through the widgets."""
    from kit import reference

    rows: dict[str, list[float]] = {}

    def run(name: str, action) -> None:
        rows.setdefault(name, []).append(_timed(action))

    # Found before any timing, without opening a tab (the first opening is timed); the
    # comparison's 都道府県 comes before the town picker's on the last tab.
    controls = {label: _control(screen.view, label) for label in (
        "地区（圏域）", "年", "リスクの判定方法", "ニーズ（リスク）", "地図に塗る指標", "都道府県", "市区町村", "比べる指標")}

    def choose(label: str, value) -> None:
        controls[label].value = value

    def options(label: str) -> list:
        return [option[1] if isinstance(option, tuple) else option for option in controls[label].options]

    def tab(title: str) -> None:
        screen.show_tab(title)

    areas = options("地区（圏域）")
    run("タブ: 人口と高齢化", lambda: tab("人口と高齢化"))
    for code in areas[1:] + areas[:1]:
        run("地区を切り替える（人口）", lambda code=code: choose("地区（圏域）", code))
    run("タブ: 要介護認定", lambda: tab("要介護認定"))
    for year, _ in zip(reversed(options("年")), range(3)):
        run("認定の年を切り替える", lambda year=year: choose("年", year))
    run("タブ: ニーズ調査のリスク", lambda: tab("ニーズ調査のリスク"))
    for code in areas[:3]:
        run("地区を切り替える（リスク）", lambda code=code: choose("地区（圏域）", code))
    for key in ("checklist", "needs", "checklist", "needs"):
        run("判定方法を切り替える", lambda key=key: choose("リスクの判定方法", key))
    run("タブ: 地域資源とニーズ", lambda: tab("地域資源とニーズ"))
    for need in options("ニーズ（リスク）")[:4]:
        run("ニーズを切り替える", lambda need=need: choose("ニーズ（リスク）", need))
    run("タブ: 地図", lambda: tab("地図"))
    for label in options("地図に塗る指標")[:4]:
        run("地図の指標を切り替える", lambda label=label: choose("地図に塗る指標", label))

    run("タブ: 全国と比べる", lambda: tab("全国と比べる"))
    municipalities = reference.municipalities()
    picks = municipalities.iloc[rng.sample(range(len(municipalities)), samples)]
    for _, row in picks.iterrows():
        run("都道府県を選ぶ（全国から）", lambda p=row["都道府県コード"]: choose("都道府県", p))
        run("市区町村を選ぶ（全国から）", lambda c=row["市区町村コード"]: choose("市区町村", c))
    for metric in reference.METRICS:
        run("比べる指標を切り替える（全国地図）", lambda k=metric.key: choose("比べる指標", k))
    return rows


def _national_computation(samples: int) -> dict[str, list[float]]:
    """Pure computations over all municipalities (no drawing)."""
    from kit import reference

    rows: dict[str, list[float]] = {}
    prefectures = list(reference.prefectures()["都道府県コード"])
    for metric in reference.METRICS:
        rows.setdefault("同規模の順位（1,741市区町村から）", []).append(
            _timed(lambda k=metric.key: reference.peer_rank(60_000, 120.0, k)))
    for code in prefectures[:samples]:
        rows.setdefault("都道府県の集計（キャッシュ後）", []).append(
            _timed(lambda c=code: reference.profile(f"P:{c}")))
    return rows


def _print(title: str, rows: dict[str, list[float]], widget_ms: float, chart_ms: float) -> None:
    print(f"\n{title}")
    print(f"{'interaction':<34}{'n':>4}{'median ms':>11}{'max ms':>9}{'x widget':>10}{'x chart':>9}")
    for name, values in rows.items():
        median = statistics.median(values)
        print(f"{name:<34}{len(values):>4}{median:>11.1f}{max(values):>9.1f}"
              f"{median / widget_ms:>10.0f}{median / chart_ms:>9.2f}")


def main() -> None:
    import random

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="municipalities chosen across Japan")
    args = parser.parse_args()

    from kit import chart_cache, reference
    from kit.steps.assessment.screen import AssessmentScreen
    from kit.store import open_store

    widget_ms, chart_ms = _baselines(args.samples)
    store = open_store(os.environ["KIT_STORE"])
    build_ms = _timed(lambda: AssessmentScreen(store=store))
    build_warm_ms = _timed(lambda: AssessmentScreen(store=store))

    cold_screen = AssessmentScreen(store=store, warm=False).open("bench-cold")
    cold = _interactions(cold_screen, args.samples, random.Random(1))
    chart_cache._MEMORY.clear()  # a new kernel: only the shared disk cache remains
    warm_screen = AssessmentScreen(store=store, warm=False).open("bench-warm")
    warm = _interactions(warm_screen, args.samples, random.Random(1))
    national = _national_computation(args.samples)

    print(f"baseline: trivial widget update {widget_ms:.3f} ms; trivial chart to SVG {chart_ms:.1f} ms")
    print(f"page built in phase 1 (preheat): {build_ms:.0f} ms cold, {build_warm_ms:.0f} ms with the chart cache "
          f"({build_ms / chart_ms:.1f} / {build_warm_ms / chart_ms:.1f} x chart)")
    print(f"reference: {len(reference.municipalities()):,} municipalities")
    _print("cold (first time anyone on the server makes the choice)", cold, widget_ms, chart_ms)
    _print("warm (same choices from another page, charts from the shared cache)", warm, widget_ms, chart_ms)
    _print("national computations (no drawing)", national, widget_ms, chart_ms)


if __name__ == "__main__":
    main()
