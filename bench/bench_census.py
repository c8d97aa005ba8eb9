"""Reading an e-Stat census download of every municipality, against the sample
town's population file read in the same run.

The census file is the real, unedited e-Stat download in ``shared/data-public``
(2020 census table 2-7-1: 全国, 47 prefectures, 1,741 municipalities, wards and
the municipalities of 2000, by sex; ≈ 3.7 MB), when it is beside the repository;
else a file of the same layout is written for 1,741 municipalities. It is read
as CSV and as the .xlsx e-Stat also offers (written here from the CSV). Each
read runs in a fresh process: the wall and CPU time of ``kit.io.load`` (median
of ``--repeat`` processes; CPU time is the steadier figure on a shared machine)
and the memory that process gained while loading (peak RSS minus RSS after
imports), each as a ratio to the sample town's ``population.csv``. Figures
only: nothing is asserted.

    python bench/bench_census.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from kit.paths import SAMPLE_TOWN

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO.parent / "shared" / "data-public" / "census2020_table2-7-1_age5_by_municipality.csv"
EXCERPT = REPO / "tests" / "fixtures" / "io" / "estat_census2020_excerpt.csv"
MUNICIPALITIES = 1741
_HEADER_LINES = 11

# One load in a fresh process: wall and CPU seconds, RSS after imports and peak RSS (MiB), rows read.
_RUNNER = """
import json, resource, sys, time
from kit.io import load
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
before = rss()
start, cpu = time.perf_counter(), time.process_time()
result = load("population", sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps([seconds, cpu, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  result.rows_read, result.ok]))
"""


def synthetic_census(path: Path) -> Path:
    """The excerpt's header block and a row per municipality and sex, in its layout."""
    with open(EXCERPT, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    header, template = records[:_HEADER_LINES], records[_HEADER_LINES:]
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerows(header)
        for sex in range(3):
            for number in range(MUNICIPALITIES):
                row = list(template[sex])
                row[8], row[9] = f"{number + 1:05d}", f"市町村{number + 1}"
                writer.writerow(row)
    return path


def as_xlsx(source: Path, path: Path) -> Path:
    """The download as e-Stat's .xlsx: the same rows, counts stored as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("2-7-1")
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.reader(handle)):
            sheet.append([int(cell.replace(",", "")) if number >= _HEADER_LINES and position > 10
                          and cell.replace(",", "").isdigit() else (cell or None)
                          for position, cell in enumerate(record)])
    book.save(path)
    return path


def measure(path: Path, repeat: int) -> tuple[float, float, float, int, bool]:
    """Median wall and CPU seconds of ``load``, the most memory a load added (MiB), rows, ok."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", _RUNNER, str(path)], capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    added = max(run[3] - run[2] for run in runs)
    return wall, cpu, added, runs[0][4], runs[0][5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        census = NATIONAL if NATIONAL.is_file() else synthetic_census(folder / "census.csv")
        origin = "real e-Stat download" if census == NATIONAL else f"synthetic, {MUNICIPALITIES} municipalities"
        files = [("sample population.csv", SAMPLE_TOWN / "population.csv"),
                 (f"census CSV ({origin})", census),
                 ("census .xlsx (same rows)", as_xlsx(census, folder / "census.xlsx"))]
        figures = [(label, path.stat().st_size / 2**20, *measure(path, args.repeat)) for label, path in files]
    _label, _size, base_wall, base_cpu, base_added, _rows, _ok = figures[0]
    print(f"{'file':<42} {'MB':>5} {'rows':>6} {'wall s':>7} {'x wall':>7} {'cpu s':>6} {'x cpu':>6} "
          f"{'+MiB':>6} {'x mem':>6}  ok")
    for label, size, wall, cpu, added, rows, ok in figures:
        print(f"{label:<42} {size:5.2f} {rows:6d} {wall:7.3f} {wall / base_wall:7.1f} {cpu:6.3f} "
              f"{cpu / base_cpu:6.1f} {added:6.1f} {added / base_added:6.1f}  {ok}")


if __name__ == "__main__":
    main()
