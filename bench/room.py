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
from pathlib import Path

from harness import BARE, CHROMIUM, CHROMIUM_ARGS, READY_JS, Server, write_bare_notebook
from kit.pages import LANDING
from kit.paths import NOTEBOOKS
from pages import SPECS, page_specs

__all__ = ["room", "main"]

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


def room(root: Path, page: str, ready: str, size: int, work: Path, name: str) -> tuple:
    server = Server(root, work, f"{name}-{size}", pool_size=0, pools={page: size + 1})
    try:
        warm = server.wait_until_ready()
        single, times, failed = asyncio.run(_room(server, page, ready, size))
    finally:
        server.stop()
    return warm, single, times, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--page", default=LANDING.file, help="the page everyone opens")
    args = parser.parse_args()
    spec = next(s for s in page_specs() if s.file == args.page)
    work = Path(tempfile.mkdtemp(prefix="kit-bench-room-"))
    bare_root = work / "bare"
    bare_root.mkdir()
    write_bare_notebook(bare_root)

    print(f"room: everyone opens {args.page} at once; one Chromium, a context per participant; "
          f"pool = room size + 1; {os.cpu_count()} CPUs")
    print("target: all rendered, p95 <= 5x the single render")
    print(f"{'page':<18}{'size':>5}{'ready s':>8}{'single s':>9}{'ok':>5}{'median s':>9}{'x':>6}"
          f"{'p95 s':>8}{'x':>6}{'load':>6}")
    for size in args.sizes:
        for label, root, file, ready in (("bare", bare_root, BARE, SPECS[BARE].ready),
                                         (args.page, NOTEBOOKS, args.page, spec.ready)):
            warm, single, times, failed = room(root, file, ready, size, work, label.split(".")[0])
            if not times:
                print(f"{label:<18}{size:>5}{warm:>8.0f}{single:>9.2f}{0:>5}  no page rendered: {failed[0]}")
                continue
            median, p95 = statistics.median(times), _p95(times)
            print(f"{label:<18}{size:>5}{warm:>8.0f}{single:>9.2f}{len(times):>5}{median:>9.2f}"
                  f"{median / single:>6.1f}{p95:>8.2f}{p95 / single:>6.1f}{os.getloadavg()[0]:>6.1f}"
                  + (f"  {len(failed)} failed: {failed[0]}" if failed else ""), flush=True)


if __name__ == "__main__":
    main()
