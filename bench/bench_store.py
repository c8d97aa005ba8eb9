"""How fast the SQLite workspace store writes, alone and with 40 pages at once.

Prints figures, asserts nothing. Run: python bench/bench_store.py [--workers 40] [--writes 100]
Each write is a ~300-character memo (``put``) or, with --update, a counter
increment (``update``, one IMMEDIATE transaction)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from kit.store import open_store

MEMO = "本人は畑を続けたいと話している。買物は週一回、家族の送迎。" * 10


def write(store, workspace: str, count: int, update: bool) -> list[float]:
    """Do ``count`` writes; the seconds each one took."""
    seconds = []
    for i in range(count):
        start = time.perf_counter()
        if update:
            store.update("共有", "counter", lambda n: n + 1, 0)
        else:
            store.put(workspace, f"assessment/memo/{i:04d}", MEMO)
        seconds.append(time.perf_counter() - start)
    return seconds


def worker(url: str, workspace: str, count: int, update: bool, barrier, results) -> None:
    store = open_store(url)
    barrier.wait()
    start = time.perf_counter()
    seconds = write(store, workspace, count, update)
    results.put((start, time.perf_counter(), seconds))


def single(url: str, count: int, update: bool) -> float:
    store = open_store(url)
    start = time.perf_counter()
    write(store, "単独", count, update)
    return count / (time.perf_counter() - start)


def concurrent(url: str, workers: int, count: int, update: bool) -> tuple[float, list[float]]:
    """Total writes/s of ``workers`` processes released together, and every write's seconds."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers), context.Queue()
    processes = [context.Process(target=worker, args=(url, f"{i}班", count, update, barrier, results))
                 for i in range(workers)]
    for process in processes:
        process.start()
    spans = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return workers * count / elapsed, sorted(s for _, _, seconds in spans for s in seconds)


def table_round_trip(url: str, rows: int = 3000, columns: int = 40) -> tuple[float, float, int]:
    """Seconds to save and load a needs-survey-sized table, and its stored size in bytes."""
    import numpy as np  # here, so the 40 spawned workers start without pandas
    import pandas as pd

    rng = np.random.default_rng(0)
    table = pd.DataFrame({f"問{c + 1}": rng.integers(0, 5, rows) for c in range(columns)})
    table.insert(0, "地区コード", rng.choice(["A01", "A02", "A03"], rows))
    store = open_store(url)
    start = time.perf_counter()
    store.put_table("表", "data/needs_survey", table)
    saved = time.perf_counter()
    store.get_table("表", "data/needs_survey")
    loaded = time.perf_counter()
    size = len(store._query("SELECT value FROM entries WHERE key = ?", ("data/needs_survey",))[0][0])
    return saved - start, loaded - saved, size


def page_sync_tick(url: str, workspaces: int = 40, keys: int = 100, count: int = 2000) -> tuple[float, float]:
    """Milliseconds of what every open page does every 3 s to follow another PC's
    saves (kit.ui.saving.PageSync: the workspace's last write), and of one ``get``,
    in a store holding ``workspaces`` teams of ``keys`` entries."""
    store = open_store(url)
    for team in range(workspaces):
        for key in range(keys):
            store.put(f"{team}班", f"assessment/memo/{key:04d}", MEMO)
    timings = []
    for call in (lambda: store.last_updated("3班"), lambda: store.get("3班", "assessment/memo/0001")):
        start = time.perf_counter()
        for _ in range(count):
            call()
        timings.append((time.perf_counter() - start) / count * 1000)
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--writes", type=int, default=100, help="writes per worker")
    args = parser.parse_args()
    # Figures on a busy machine mean little: say how busy it was.
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        for update in (False, True):
            label = "update (read-modify-write, one shared key)" if update else "put (own workspace)"
            url = str(Path(folder) / f"bench_{update}.sqlite3")
            alone = single(url, args.workers * args.writes // 4, update)
            together, seconds = concurrent(url, args.workers, args.writes, update)
            p50, p99 = seconds[len(seconds) // 2], seconds[int(len(seconds) * 0.99)]
            print(f"{label}:")
            print(f"  1 process             {alone:8.0f} writes/s")
            print(f"  {args.workers} processes at once {together:8.0f} writes/s in total"
                  f" ({together / alone:.2f} × single)")
            print(f"  one write while {args.workers} write: median {p50 * 1000:.1f} ms,"
                  f" 99th percentile {p99 * 1000:.0f} ms, slowest {seconds[-1] * 1000:.0f} ms")
        save, load, size = table_round_trip(str(Path(folder) / "table.sqlite3"))
        print(f"table 3000 rows × 41 columns: put_table {save * 1000:.0f} ms, "
              f"get_table {load * 1000:.0f} ms, {size / 1e6:.2f} MB stored")
        tick, get = page_sync_tick(str(Path(folder) / "sync.sqlite3"))
        print(f"a page following its workspace (every 3 s): {tick:.2f} ms a look, {tick / get:.1f} × one get"
              f" ({get:.2f} ms)")


if __name__ == "__main__":
    main()
