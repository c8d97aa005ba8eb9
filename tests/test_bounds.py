"""Files that would cost far more to read than their size are refused before a
parser spends it, with a Japanese sentence that says what is wrong (issue 20);
real municipal files stay well inside the limits."""

from __future__ import annotations

from pathlib import Path

import hostile_files as hostile
import pytest

from kit.io import load
from kit.io.bounds import check_source
from kit.limits import MAX_WORKBOOK_UNPACKED, table_limits

CENSUS = Path("/work/shared/data-public/census2020_table2-7-1_age5_by_municipality.csv")


def refusal(result) -> str:
    assert not result.ok and result.data is None
    return " ".join(problem.message for problem in result.errors)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return hostile.xlsx_bomb(tmp_path_factory.mktemp("bomb") / "地区.xlsx")


def test_a_workbook_that_unpacks_to_300_mb_is_refused_by_its_unpacked_size(bomb):
    assert bomb.stat().st_size < 2 * 1024 * 1024
    message = refusal(load("areas", bomb))
    assert "展開すると大きすぎます" in message and f"{MAX_WORKBOOK_UNPACKED // 1024 // 1024} MB まで" in message
    assert "CSV" in message  # and what to do instead


def test_a_small_workbook_of_millions_of_empty_cells_is_refused_by_its_cell_count(tmp_path):
    book = hostile.xlsx_cell_bomb(tmp_path / "cells.xlsx", 8_000_000)
    assert "セルが多すぎます" in refusal(load("needs_survey", book))


def test_a_workbook_with_a_cell_in_its_far_corner_is_refused_before_it_is_laid_out(tmp_path):
    book = hostile.xlsx_far_corner(tmp_path / "corner.xlsx")
    assert "行が多すぎます（1,048,576行" in refusal(load("areas", book))
    # Within a kind's rows and columns, the grid up to the last cell is still bounded.
    book = hostile.xlsx_far_corner(tmp_path / "near.xlsx", "ZZ", 1_000_000)
    assert "範囲が広すぎます（1,000,000行 × 702列）" in refusal(load("needs_survey", book))


def test_a_valid_areas_file_of_907775_areas_is_refused_by_the_row_limit_of_areas(tmp_path):
    areas = hostile.areas_csv(tmp_path / "areas.csv", 907_775)
    message = refusal(load("areas", areas))
    assert "データの行が多すぎます（907,775行" in message
    assert f"{table_limits('areas').rows:,}行まで" in message


def test_a_csv_of_100000_columns_is_refused_for_its_columns_not_a_duplicate_code(tmp_path):
    wide = hostile.wide_csv(tmp_path / "wide.csv")
    message = refusal(load("areas", wide))
    assert "列が多すぎます（100,000列" in message and "重複" not in message


def test_a_nul_byte_far_into_a_csv_is_refused_with_its_line(tmp_path):
    rows = [f"A{number:04d},第{number}地区" for number in range(2_000)]
    rows[1_500] = "A1500,第1500\x00地区"
    path = tmp_path / "areas.csv"
    path.write_bytes(("地区コード,地区名\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    assert path.read_bytes().index(b"\x00") > 8192
    message = refusal(load("areas", path))
    assert "1,502行目" in message and "NUL" in message


def test_files_of_a_large_city_stay_within_the_limits(tmp_path):
    # The national census by municipality (e-Stat, not written by the team): 1,741
    # municipalities, the widest real table the kit reads.
    check_source(CENSUS, CENSUS.read_bytes()[:8192], ".csv", table_limits("population"))
    # A 政令市 by 町丁字: a few thousand areas.
    areas = hostile.areas_csv(tmp_path / "areas.csv", 5_000)
    result = load("areas", areas)
    assert result.ok and len(result.data) == 5_000
