"""Time and peak memory of ``python -m kit validate`` on large input files.

Writes a ~50 MB ニーズ調査 CSV (UTF-8, then the same in Shift_JIS) and a
smaller .xlsx (answers as numbers, as Excel stores them) into a temporary
folder, runs the command once on each in a fresh process and prints wall time
and that process's peak resident memory. Figures only: nothing is asserted.

    python bench/bench_validate.py [--megabytes 50] [--xlsx-rows 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from kit import vocab

ITEMS = [f"問{i // 5 + 1}({i % 5 + 1})" for i in range(40)]
HEADER = ["回答者ID", "地区コード", "性別", "年齢", *vocab.RISK_FLAGS, *ITEMS]
ANSWERS = ["1", "0"] * 4 + ["2", "1", "3", "4"] * 10


def _row(number: int) -> list[str]:
    return [f"R{number:07d}", f"0{number % 9 + 1}", "男女"[number % 2], str(65 + number % 30), *ANSWERS]


def write_csv(path: Path, megabytes: int, encoding: str) -> int:
    rows = 0
    with open(path, "w", encoding=encoding, newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        while out.tell() < megabytes * 1024 * 1024:
            out.writelines(",".join(_row(rows + i)) + "\r\n" for i in range(10_000))
            rows += 10_000
    return rows


def write_xlsx(path: Path, rows: int) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for number in range(rows):
        sheet.append([int(cell) if cell.isdigit() and not cell.startswith("0") else cell for cell in _row(number)])
    book.save(path)
    return rows


# Run in its own process, so that the peak memory of its one child is that run's alone.
_RUNNER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "kit", "validate", *sys.argv[1:]], capture_output=True, text=True, encoding="utf-8")
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  done.returncode, done.stdout.splitlines()[0]]))
"""


def measure(kind: str, path: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB of the validate process, its exit code and first line."""
    done = subprocess.run([sys.executable, "-c", _RUNNER, kind, str(path)], capture_output=True, text=True, check=True)
    seconds, peak_kb, code, line = json.loads(done.stdout)
    return seconds, peak_kb / 1024, code, line[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        cases = []
        for encoding in ("utf-8", "cp932"):
            path = folder / f"survey_{encoding}.csv"
            rows = write_csv(path, args.megabytes, encoding)
            cases.append((f"CSV {encoding}", path, rows))
        path = folder / "survey.xlsx"
        cases.append(("xlsx", path, write_xlsx(path, args.xlsx_rows)))
        print(f"{'file':<10} {'MB':>6} {'rows':>8} {'cells':>10} {'seconds':>8} {'peak MB':>8}  exit  first line")
        for label, path, rows in cases:
            seconds, peak, code, line = measure("needs_survey", path)
            size = path.stat().st_size / 1024 / 1024
            print(f"{label:<10} {size:6.1f} {rows:8d} {rows * len(HEADER):10d} {seconds:8.2f} {peak:8.0f}  {code:4d}  {line}")


if __name__ == "__main__":
    main()
