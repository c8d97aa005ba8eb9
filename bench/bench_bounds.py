"""What the bounds of issue 20 hold, each against a baseline measured in the same run.

1. A burst of page requests from one address, as a script or a browser reloading
   in a loop makes them: ``--burst`` GETs of 01 地域診断 at once, none of which
   ever connects. Printed: the memory of the server and its kernels (PSS) idle
   with its pools (the baseline), at the burst's height and once the kernels
   whose page never connected were shut down; how many kernels; how many
   requests got the 「開いているページが多すぎます」 page. The same burst against
   Voilà without the budget (how the kit was served before) is printed beside it.
2. The time to refuse an .xlsx zip bomb (about 1 MB that unpacks to 300 MB,
   20 million cells) and a workbook of 8 million empty cells, against reading a
   normal workbook of about the same size on disk, all through ``kit.io.load``.

Figures only: nothing is asserted. About 5 minutes on the reference machine.

    python bench/bench_bounds.py [--burst 8] [--skip-server]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench_validate
from harness import Server
from timing import median_time

from kit.io import load
from kit.limits import CONNECT_GRACE, MAX_KERNELS_PER_ADDRESS
from kit.paths import NOTEBOOKS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import hostile_files  # noqa: E402 - the test suite's hostile files, made the same way here

PAGE = "01_assessment.ipynb"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(server: Server, count: int) -> tuple[list[int], float, int]:
    """``count`` GETs of the page at once: (their statuses, the most memory seen
    meanwhile in MiB, the most kernels seen)."""
    peak, kernels = server.memory_mib(), len(server.kernels())
    with ThreadPoolExecutor(count) as pool:
        answers = [pool.submit(_get, server.url(PAGE, f"?ws=burst{n}")) for n in range(count)]
        while not all(answer.done() for answer in answers):
            peak, kernels = max(peak, server.memory_mib()), max(kernels, len(server.kernels()))
            time.sleep(0.5)  # sampling memory while the requests run
    return [answer.result() for answer in answers], peak, kernels


def measure_server(count: int, work: Path) -> None:
    print(f"== {count} GETs of {PAGE} at once from one address (memory: server + kernels, PSS)")
    print(f"{'served by':<22} {'idle MiB':>9} {'burst MiB':>10} {'x idle':>7} {'kernels':>8} "
          f"{'pages':>6} {'refused':>8} {'after grace MiB':>16}")
    for label, app in (("kit (kernel budget)", "kit.kernels:KitVoila"), ("Voilà without budget", "voila.app:Voila")):
        server = Server(NOTEBOOKS, work, label.split()[0], app=app)
        try:
            server.wait_until_ready()
            idle, pooled = server.memory_mib(), len(server.kernels())
            statuses, peak, kernels = burst(server, count)
            after = float("nan")
            if app.startswith("kit"):
                deadline = time.monotonic() + CONNECT_GRACE + 60
                while len(server.kernels()) > pooled and time.monotonic() < deadline:
                    time.sleep(1)  # the cull runs every 15 s once the grace is over
                after = server.memory_mib()
            print(f"{label:<22} {idle:9.0f} {peak:10.0f} {peak / idle:7.2f} {kernels:4d} ({pooled}) "
                  f"{statuses.count(200):6d} {statuses.count(503):8d} {after:16.0f}", flush=True)
        finally:
            server.stop()
    print(f"  (kernels: the most seen, and the pools' own in brackets; the budget gives one address "
          f"{MAX_KERNELS_PER_ADDRESS} pages)")


def measure_bombs(work: Path) -> None:
    normal = work / "survey.xlsx"
    rows = bench_validate.write_xlsx(normal, 4_000)
    cases = [(f"normal .xlsx, {rows:,} rows: read", normal, 3),
             ("zip bomb, 300 MB unpacked: refused", hostile_files.xlsx_bomb(work / "bomb.xlsx"), 5),
             ("8 M empty cells, 32 MB: refused", hostile_files.xlsx_cell_bomb(work / "cells.xlsx", 8_000_000), 5)]
    print("\n== workbooks through kit.io.load: hostile ones refused, against reading a normal one")
    print(f"{'file':<36} {'MB on disk':>10} {'wall s':>9} {'CPU s':>9} {'x normal':>9}")
    baseline = None
    for label, path, repeat in cases:
        result = load("needs_survey", path)
        wall, cpu = median_time(lambda path=path: load("needs_survey", path), repeat=repeat)
        baseline = baseline or wall
        print(f"{label:<36} {path.stat().st_size / 2**20:10.2f} {wall:9.4f} {cpu:9.4f} {wall / baseline:9.5f}"
              + ("" if result.ok else f"   {result.errors[0].message[:40]}…"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=8, help="requests at once")
    parser.add_argument("--skip-server", action="store_true", help="only the zip bomb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if not args.skip_server:
            measure_server(args.burst, work)
        measure_bombs(work)


if __name__ == "__main__":
    main()
