"""A real municipality as the town: the cost of choosing it, as ratios to reading the
sample town's population file (``data/sample_town/population.csv`` through
``kit.io.load``) measured in the same run.

- first choice in a kernel: the reference tables read (municipalities, census and
  projection by age band) and the town built, every cache emptied before each run;
- reading the two tables by age band alone;
- another municipality once the tables are read (a whole municipality, and a
  政令指定都市 with its wards as areas);
- one search while the user types (find_municipalities);
- memory: peak and kept Python allocations (tracemalloc) of the first choice, and
  the process's resident memory before and after it;
- page 01: from 「このまちにする」 to the first chart of the town on screen (the
  page built beforehand, as a preheated kernel builds it), with the charts drawn
  anew (a municipality nobody on the server chose before) and from the chart cache.
Figures only: nothing is asserted.

    python bench/bench_reference.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from timing import median_time

from kit import reference
from kit.io import load
from kit.paths import SAMPLE_TOWN

_CACHES = (reference.municipalities, reference._search_keys, reference._census_bands,
           reference._projection_bands, reference._town_tables)


def _cold() -> None:
    for cache in _CACHES:
        cache.cache_clear()


def _baseline():
    result = load("population", SAMPLE_TOWN / "population.csv")
    assert result.ok
    return result.data


def _first_choice():
    _cold()
    return reference.town_tables("01209")


def _tables_only():
    reference._census_bands.cache_clear()
    reference._projection_bands.cache_clear()
    reference._census_bands()
    reference._projection_bands()


def _another(code: str, use_wards: bool = False):
    reference._town_tables.cache_clear()
    return reference.town_tables(code, use_wards)


def _allocations(func) -> tuple[float, float]:
    """Peak and kept MiB of Python allocations while ``func`` runs (its result kept)."""
    tracemalloc.start()
    result = func()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak / 2**20, kept / 2**20


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def _first_chart(widget):
    """The first chart in a widget tree (page 01: the growth of each age group)."""
    if "kit-chart" in getattr(widget, "_dom_classes", ()):
        return widget
    return next((found for child in getattr(widget, "children", ()) if (found := _first_chart(child))), None)


def _page_choice(code: str, charts: Path, repeat: int) -> list[float]:
    """Seconds from choosing ``code`` on page 01 to its first chart, ``repeat`` times,
    each on a freshly built page over a new store, charts cached in ``charts``."""
    from kit.steps.assessment.screen import AssessmentScreen
    from kit.store import open_store

    os.environ["KIT_CHART_CACHE"] = str(charts)
    times = []
    for run in range(repeat):
        with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "s.sqlite")) as store:
            screen = AssessmentScreen(store=store, warm=False).open(f"bench{run}")
            growth = _first_chart(screen.show_tab("人口と高齢化"))
            before = growth.value
            start = time.perf_counter()
            screen.town_picker.choose(code)
            times.append(time.perf_counter() - start)
            assert growth.value and growth.value != before, "no chart of the town drawn"
    return times


def _page_figures(repeat: int, base_wall: float) -> None:
    codes = ("01209", "47201", "22130", "03201", "32201")  # a chart nobody drew before, for each run
    with tempfile.TemporaryDirectory() as charts:
        engine = _page_choice("46303", Path(charts), 1)[0]          # the chart engine starts here
        fresh = [_page_choice(code, Path(charts), 1)[0] for code in codes[:repeat]]
        cached = _page_choice(codes[0], Path(charts), repeat)
    print(f"\n{'page 01: choose → first chart':<40}{'wall ms':>9}{'x base':>8}")
    for label, value in (("first in a kernel (chart engine starts)", engine),
                         ("a town drawn anew (median)", statistics.median(fresh)),
                         ("a town from the chart cache (median)", statistics.median(cached))):
        print(f"{label:<40}{value * 1000:>9.0f}{value / base_wall:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    rss_before = _rss_mib()
    reference.town_tables("01209")
    rss_after = _rss_mib()

    rows = [
        ("sample town population.csv (baseline)", median_time(_baseline, args.repeat)),
        ("first choice in a kernel (01209)", median_time(_first_choice, args.repeat)),
        ("read the two tables by age band", median_time(_tables_only, args.repeat)),
        ("another municipality (47201)", median_time(lambda: _another("47201"), args.repeat)),
        ("designated city by ward (14100, 18)", median_time(lambda: _another("14100", True), args.repeat)),
        ("one search while typing", median_time(lambda: reference.find_municipalities("那珂川"), args.repeat)),
    ]
    base_wall = rows[0][1][0]
    print(f"baseline: kit.io.load of the sample town's population ({len(_baseline()):,} rows)")
    print(f"{'step':<40}{'wall ms':>9}{'cpu ms':>8}{'x base':>8}")
    for label, (wall, cpu) in rows:
        print(f"{label:<40}{wall * 1000:>9.1f}{cpu * 1000:>8.1f}{wall / base_wall:>8.2f}")

    base_peak, base_kept = _allocations(_baseline)
    peak, kept = _allocations(_first_choice)
    print(f"\n{'memory (tracemalloc)':<40}{'peak MiB':>9}{'kept MiB':>9}{'x base peak':>12}")
    print(f"{'sample town population.csv (baseline)':<40}{base_peak:>9.1f}{base_kept:>9.1f}{1:>12.2f}")
    print(f"{'first choice in a kernel':<40}{peak:>9.1f}{kept:>9.1f}{peak / base_peak:>12.2f}")
    print(f"process RSS: {rss_before:.0f} MiB after imports, "
          f"{rss_after:.0f} MiB after the first choice "
          f"(+{rss_after - rss_before:.1f}); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    _page_figures(min(args.repeat, 5), base_wall)


if __name__ == "__main__":
    main()
