"""A training room opening a page at the same moment: 10, 20 and 40 participants.

For each room size a fresh server is started with a preheated pool sized for the
room (room size + 1) on the room's page, and left to finish preheating. One
participant opens the page alone (the single-page render), then everyone opens it
at once, each in their own browser context of one headless Chromium, all on
loopback. Printed: how many pages rendered, the median and 95th percentile render
time, and both as ratios to the single render; the same for the bare ipywidgets
page served the same way, which shows what the machine and the browser cost by
themselves (every participant's browser runs on this same machine here, which a
real room does not). Voilà's own pool refill after each page is taken (the kit's
configuration) runs during the room, as it would in a real one. Every wait is
bounded; servers and kernels are stopped at the end. Figures only.

    python bench/room.py [--sizes 10 20 40] [--page 00_start.ipynb]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import BARE, CHROMIUM, CHROMIUM_ARGS, READY_JS, Server, write_bare_notebook
from kit.pages import LANDING
from kit.paths import NOTEBOOKS
from pages import SPECS, page_specs

__all__ = ["RoomFigures", "room", "measure", "report", "main"]

TIMEOUT_MS = 600_000


async def _open(browser, url: str, ready: str) -> float:
    context = await browser.new_context(locale="ja-JP")
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_function(READY_JS, arg=ready, polling=100, timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        await context.close()


async def _room(server: Server, page: str, ready: str, size: int) -> tuple[float, list[float], list[str]]:
    """(single render s, render s of each participant who got the page, why the others did not)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            single = await _open(browser, server.url(page, "?ws=alone"), ready)
            results = await asyncio.gather(
                *(_open(browser, server.url(page, f"?ws=p{i:02d}"), ready) for i in range(size)),
                return_exceptions=True)
        finally:
            await browser.close()
    times = [r for r in results if isinstance(r, float)]
    return single, times, [str(r).splitlines()[0] for r in results if not isinstance(r, float)]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class RoomFigures:
    page: str
    size: int
    ready_s: float                # server start → pools preheated
    single_s: float               # one participant alone
    times: tuple[float, ...]      # render of each participant who got the page
    failures: tuple[str, ...]     # why the others did not

    @property
    def median_s(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def p95_s(self) -> float:
        return _p95(list(self.times)) if self.times else float("nan")


def room(root: Path, page: str, ready: str, size: int, work: Path, name: str) -> RoomFigures:
    server = Server(root, work, f"{name}-{size}", pool_size=0, pools={page: size + 1})
    try:
        warm = server.wait_until_ready()
        single, times, failed = asyncio.run(_room(server, page, ready, size))
    finally:
        server.stop()
    return RoomFigures(page, size, warm, single, tuple(times), tuple(failed))


def measure(sizes: list[int], page: str = LANDING.file) -> list[RoomFigures]:
    """For each size, the bare page's room then the kit page's."""
    spec = next(s for s in page_specs() if s.file == page)
    work = Path(tempfile.mkdtemp(prefix="kit-bench-room-"))
    bare_root = work / "bare"
    bare_root.mkdir()
    write_bare_notebook(bare_root)
    rows = []
    for size in sizes:
        rows.append(room(bare_root, BARE, SPECS[BARE].ready, size, work, "bare"))
        rows.append(room(NOTEBOOKS, page, spec.ready, size, work, page.split(".")[0]))
    return rows


def report(rows: list[RoomFigures]) -> None:
    print(f"room: everyone opens the page at once; one Chromium on this machine, a context per "
          f"participant; pool = room size + 1; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print("target: all rendered, p95 <= 5x the single render")
    print(f"{'page':<18}{'size':>5}{'ready s':>8}{'single s':>9}{'ok':>5}{'median s':>9}{'x':>6}"
          f"{'p95 s':>8}{'x':>6}")
    for r in rows:
        print(f"{r.page:<18}{r.size:>5}{r.ready_s:>8.0f}{r.single_s:>9.2f}{len(r.times):>5}"
              f"{r.median_s:>9.2f}{r.median_s / r.single_s:>6.1f}{r.p95_s:>8.2f}{r.p95_s / r.single_s:>6.1f}"
              + (f"  {len(r.failures)} failed: {r.failures[0]}" if r.failures else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--page", default=LANDING.file, help="the page everyone opens")
    args = parser.parse_args()
    report(measure(args.sizes, args.page))


if __name__ == "__main__":
    main()
