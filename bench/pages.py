"""Each page against a bare ipywidgets page served the same way: render time,
interaction latency and kernel memory, as figures and ratios.

- render: from the request to the page's widgets on screen, in headless Chromium,
  each load in a fresh browser context and a fresh workspace (``?ws=``);
- interaction: one representative change per page (choose an option, type a name,
  click) until the page shows its result, timed inside the page; the bare page's
  figure is a button click updating an HTML widget, the smallest round trip;
- kernel RSS: the page's kernel process after the interaction.

Both servers use the kit's Voilà configuration and a preheated pool as large as
the number of runs, so every load takes a ready kernel. Voilà refills a pool one
second after each use; here refills are postponed so that they do not compete with
the next measurement. Figures only: nothing asserts.

    python bench/pages.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import (
    BARE,
    CHROMIUM,
    CHROMIUM_ARGS,
    READY_JS,
    TIME_CHANGE_JS,
    Server,
    kernel_id,
    kernel_memory_mib,
    write_bare_notebook,
)

from kit.pages import LANDING, STEPS
from kit.paths import NOTEBOOKS

__all__ = ["PageSpec", "PageFigures", "SPECS", "page_specs", "open_page", "measure_page",
           "measure", "report", "main"]

TIMEOUT_MS = 240_000


@dataclass(frozen=True)
class PageSpec:
    """How to tell a page is shown, and the one interaction timed on it."""
    file: str
    ready: str                                  # CSS selector of the page's main widget area
    act: dict                                   # {"kind": click|select|type, "index": n, "has": option text}
    selector: str
    value: str = ""
    snapshot: str = "() => null"                # JS: what the page looks like before the change
    done: str = "() => true"                    # JS: (before) => true once the result is shown
    setup: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (tab title, text to wait for)


def _text_in(selector: str, text: str) -> str:
    return (f"() => [...document.querySelectorAll({selector!r})]"
            f".some(e => e.textContent.includes({text!r}))")


def _text_changed(selector: str) -> tuple[str, str]:
    read = f"() => (document.querySelector({selector!r}) || {{textContent: ''}}).textContent"
    return read, f"(before) => ({read})() !== before"


_BARE_READ = _text_changed(".bare-out")
_ACTOR_COUNT = _text_changed(".kit-count")
_PITCH_ISSUE = _text_changed(".kit-issue")

SPECS: dict[str, PageSpec] = {spec.file: spec for spec in (
    PageSpec(BARE, ready=".bare-button", act={"kind": "click"}, selector=".bare-button",
             snapshot=_BARE_READ[0], done=_BARE_READ[1]),
    PageSpec(LANDING.file, ready=".kit-steps", act={"kind": "type"}, selector=".kit-start input[placeholder^='例: 3班']",
             value="ベンチ班", done=_text_in(".kit-start .widget-html", "「ベンチ班」で始める")),
    PageSpec(STEPS[0].file, ready=".kit-assessment .lm-TabBar-tab",
             act={"kind": "select", "index": 1}, selector=".kit-assessment-bar select",
             value="基本チェックリスト", done=_text_in(".kit-table", "運動機能の低下"),
             setup=(("ニーズ調査のリスク", "運動器機能低下"),)),
    PageSpec(STEPS[1].file, ready=".kit-cases .lm-TabBar-tab",
             act={"kind": "select", "has": "（すべての地区）"}, selector=".kit-cases select", value="奥沢",
             done="() => { const c = [...document.querySelectorAll('.kit-card-list .kit-card')];"
                  " return c.length > 0 && c.every(e => e.textContent.includes('奥沢')); }"),
    PageSpec(STEPS[2].file, ready=".kit-actors .lm-TabBar-tab",
             act={"kind": "select", "has": "（すべての地区）"}, selector=".kit-actors select", value="奥沢",
             snapshot=_ACTOR_COUNT[0], done=_ACTOR_COUNT[1]),
    PageSpec(STEPS[3].file, ready=".kit-pitch .lm-TabBar-tab",
             act={"kind": "select", "has": "K01"}, selector=".kit-pitch select", value="K01",
             snapshot=_PITCH_ISSUE[0], done=_PITCH_ISSUE[1]),
)}
# A page without a timed interaction here (e.g. one added later) still gets its
# render time and memory measured; it is shown when its main widget area is.
_GENERIC_READY = ".jupyter-widgets"


def page_specs() -> list[PageSpec]:
    """The kit's notebooks in file order, each with its spec."""
    return [SPECS.get(path.name) or PageSpec(path.name, ready=_GENERIC_READY, act={}, selector="")
            for path in sorted(NOTEBOOKS.glob("*.ipynb"))]


def open_page(page, url: str, spec: PageSpec) -> float:
    """Load ``url`` and return the seconds until the page's widgets are shown."""
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(READY_JS, arg=spec.ready, polling=50, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def interact(page, spec: PageSpec) -> float:
    """Milliseconds of the page's timed interaction (NaN when it has none)."""
    if not spec.act:
        return float("nan")
    for tab, text in spec.setup:
        page.locator(".lm-TabBar-tab", has_text=tab).click()
        page.wait_for_function(_text_in("*", text), polling=50, timeout=TIMEOUT_MS)
    act = dict(spec.act)
    if act.get("has"):  # the n-th select offering this option
        act["index"] = page.evaluate(
            "([sel, has]) => [...document.querySelectorAll(sel)].findIndex("
            "s => [...s.options].some(o => o.textContent.includes(has)))", [spec.selector, act["has"]])
    already = page.evaluate(f"({spec.done})(({spec.snapshot})())")
    if already:
        raise RuntimeError(f"{spec.file}: the interaction's result is on the page before it is made")
    return page.evaluate(TIME_CHANGE_JS, [act, spec.selector, spec.value, spec.snapshot, spec.done,
                                          TIMEOUT_MS])


def measure_page(browser, server: Server, spec: PageSpec, workspace: str) -> tuple[float, ...]:
    """(render s, interaction ms, kernel RSS MiB, kernel USS MiB) of one load in a fresh context."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        render = open_page(page, server.url(spec.file, f"?ws={workspace}"), spec)
        latency = interact(page, spec)
        rss, uss = kernel_memory_mib(kernel_id(page))
    finally:
        context.close()
    return render, latency, rss, uss


def _median(values: list[float]) -> float:
    kept = [v for v in values if v == v]
    return statistics.median(kept) if kept else float("nan")


@dataclass(frozen=True)
class PageFigures:
    """Medians over the runs; ``first_ms`` is the first run's interaction (on a
    server where nobody has made that choice yet)."""
    file: str
    render_s: float
    interaction_ms: float
    first_ms: float
    rss_mib: float
    uss_mib: float


def measure(runs: int) -> tuple[dict[str, PageFigures], str]:
    """Figures per page (the bare page first) and a line saying how they were taken."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kit-bench-pages-"))
    bare_root = work / "bare"
    bare_root.mkdir()
    write_bare_notebook(bare_root)
    specs = [SPECS[BARE], *page_specs()]
    postpone = ("--VoilaKernelManager.fill_delay=3600",)
    servers = {"bare": Server(bare_root, work, "bare", runs, extra=postpone),
               "kit": Server(NOTEBOOKS, work, "kit", runs, extra=postpone)}
    rows: dict[str, list[tuple[float, ...]]] = {spec.file: [] for spec in specs}
    try:
        ready = {name: server.wait_until_ready() for name, server in servers.items()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for run in range(runs):  # pages interleaved, so drift in load hits all alike
                    for spec in specs:
                        server = servers["bare" if spec.file == BARE else "kit"]
                        rows[spec.file].append(measure_page(browser, server, spec, f"bench{run}"))
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
    figures = {file: PageFigures(file, *(_median([r[i] for r in samples]) for i in range(2)),
                                 samples[0][1], *(_median([r[i] for r in samples]) for i in range(2, 4)))
               for file, samples in rows.items()}
    note = (f"median of {runs} loads; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
            f"preheated pools ready {ready['kit']:.0f}s (kit) / {ready['bare']:.0f}s (bare) after start")
    return figures, note


def report(figures: dict[str, PageFigures], note: str) -> None:
    bare = figures[BARE]
    print(f"pages vs a bare ipywidgets page: {note}")
    print("targets: render <= 1.5x bare, interaction <= 3x bare, kernel RSS <= 2x bare")
    print(f"{'page':<22}{'render s':>9}{'x':>6}{'interact ms':>12}{'(1st)':>7}{'x':>6}"
          f"{'RSS MiB':>9}{'x':>6}{'USS MiB':>9}")
    for f in figures.values():
        print(f"{f.file:<22}{f.render_s:>9.2f}{f.render_s / bare.render_s:>6.2f}{f.interaction_ms:>12.0f}"
              f"{f.first_ms:>7.0f}{f.interaction_ms / bare.interaction_ms:>6.1f}{f.rss_mib:>9.0f}"
              f"{f.rss_mib / bare.rss_mib:>6.2f}{f.uss_mib:>9.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report(*measure(args.runs))


if __name__ == "__main__":
    main()
