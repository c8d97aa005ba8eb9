"""A training room opening a page at the same moment: 10, 20 and 40 participants.

For each room size a fresh server is started with a preheated pool sized for the
room (room size + 1) on the room's page, and left to finish preheating. One
participant opens the page alone (the single-page render), then everyone opens it
at once. Printed: how many pages rendered, the median and 95th percentile time,
and both as ratios to the single one; the same for the bare ipywidgets page
served the same way. Voilà's own pool refill after each page is taken runs during
the room, as it would in a real one.

Two ways of opening, each on its own fresh server:

- **browser**: each participant in their own context of one headless Chromium,
  until the widgets are on screen. Every participant's browser then runs on the
  server's 2 cores, which a real room's laptops do not; the bare page's row shows
  what that costs by itself.
- **server**: each participant a plain HTTP request for the page, timed until the
  whole page has arrived, widget state included (Voilà sends the page once the
  notebook has run for that visitor). This is the server's share of a room where
  every participant renders on their own PC.

Every wait is bounded; servers and kernels are stopped at the end. Figures only.

    python bench/room.py [--sizes 10 20 40] [--page 00_start.ipynb]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness import BARE, CHROMIUM, CHROMIUM_ARGS, READY_JS, Server, write_bare_notebook
from pages import SPECS, page_specs

from kit.pages import LANDING
from kit.paths import NOTEBOOKS

__all__ = ["RoomFigures", "room", "measure", "main"]

TIMEOUT_MS = 600_000
# Once the whole page has arrived its widgets show well within this, even with 40
# browsers on 2 cores; a page still without them lost them (Voilà gave up on the
# cell's output) and never will show them.
WIDGETS_AFTER_LOAD_MS = 120_000
MODES = ("browser", "server")
# In every page Voilà sends once a widget has been displayed.
_WIDGET_MIME = b"application/vnd.jupyter.widget-view+json"


async def _open(browser, url: str, ready: str) -> float:
    context = await browser.new_context(locale="ja-JP")
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_function(READY_JS, arg=ready, polling=100, timeout=WIDGETS_AFTER_LOAD_MS)
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


def _fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=TIMEOUT_MS / 1000) as response:
        body = response.read()
    if _WIDGET_MIME not in body:
        raise RuntimeError("the page arrived without widgets")
    return time.perf_counter() - start


def _server_room(server: Server, page: str, size: int) -> tuple[float, list[float], list[str]]:
    """As :func:`_room`, with plain HTTP requests instead of browsers."""
    single = _fetch(server.url(page, "?ws=alone"))
    with ThreadPoolExecutor(max_workers=size) as pool:
        futures = [pool.submit(_fetch, server.url(page, f"?ws=p{i:02d}")) for i in range(size)]
    times, failed = [], []
    for future in futures:
        try:
            times.append(future.result())
        except Exception as error:  # a participant without a page is a figure, not a crash
            failed.append(str(error).splitlines()[0])
    return single, times, failed


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class RoomFigures:
    page: str
    mode: str                     # "browser" or "server", see the module's docstring
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


def room(root: Path, page: str, ready: str, size: int, work: Path, name: str, mode: str,
         extra: tuple[str, ...] = (), pool: int | None = None) -> RoomFigures:
    pool = size + 1 if pool is None else pool
    server = Server(root, work, f"{name}-{mode}-{size}", pool_size=0, pools={page: pool}, extra=extra)
    try:
        warm = server.wait_until_ready()
        if mode == "browser":
            single, times, failed = asyncio.run(_room(server, page, ready, size))
        else:
            single, times, failed = _server_room(server, page, size)
    finally:
        server.stop()
    return RoomFigures(page, mode, size, warm, single, tuple(times), tuple(failed))


def measure(sizes: list[int], page: str = LANDING.file, modes: tuple[str, ...] = MODES,
            extra: tuple[str, ...] = (), pool: int | None = None) -> list[RoomFigures]:
    """For each size and mode, the bare page's room then the kit page's; each row is
    printed as soon as it is measured (a room of 40 takes minutes). ``extra`` are
    Voilà options for every server, e.g. a pool refill delay to compare; ``pool``
    the preheated kernels of the page (default: one per participant, plus one for
    the single render), to see a room larger than its pool."""
    spec = next(s for s in page_specs() if s.file == page)
    work = Path(tempfile.mkdtemp(prefix="kit-bench-room-"))
    bare_root = work / "bare"
    bare_root.mkdir()
    write_bare_notebook(bare_root)
    _print_header(extra, pool)
    rows = []
    for size in sizes:
        for mode in modes:
            for root, file, ready, name in ((bare_root, BARE, SPECS[BARE].ready, "bare"),
                                            (NOTEBOOKS, page, spec.ready, page.split(".")[0])):
                rows.append(room(root, file, ready, size, work, name, mode, extra, pool))
                _print_row(rows[-1])
    return rows


def _print_header(extra: tuple[str, ...], pool: int | None) -> None:
    print(f"room: everyone opens the page at once; pool = {'room size + 1' if pool is None else pool}; "
          f"browser = one Chromium "
          f"on this machine, a context per participant; server = plain HTTP requests; "
          f"{os.cpu_count()} CPUs" + (f"; Voilà options: {' '.join(extra)}" if extra else ""))
    print("target: all rendered, p95 <= 5x the single render")
    print(f"{'page':<21}{'mode':<8}{'size':>5}{'ready s':>8}{'single s':>9}{'ok':>5}{'median s':>9}{'x':>7}"
          f"{'p95 s':>8}{'x':>7}{'load':>6}", flush=True)


def _print_row(r: RoomFigures) -> None:
    print(f"{r.page:<21}{r.mode:<8}{r.size:>5}{r.ready_s:>8.0f}{r.single_s:>9.2f}{len(r.times):>5}"
          f"{r.median_s:>9.2f}{r.median_s / r.single_s:>7.1f}{r.p95_s:>8.2f}{r.p95_s / r.single_s:>7.1f}"
          f"{os.getloadavg()[0]:>6.1f}"
          + (f"  {len(r.failures)} failed: {r.failures[0]}" if r.failures else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--page", default=LANDING.file, help="the page everyone opens")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--fill-delay", type=float,
                        help="seconds before Voilà refills a pool (default: the kit's voila.json)")
    parser.add_argument("--pool", type=int, help="preheated kernels of the page (default: room size + 1)")
    args = parser.parse_args()
    extra = () if args.fill_delay is None else (f"--VoilaKernelManager.fill_delay={args.fill_delay}",)
    measure(args.sizes, args.page, tuple(args.modes), extra, args.pool)


if __name__ == "__main__":
    main()
