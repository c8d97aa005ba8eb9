"""``python -m kit validate KIND FILE``: exit 0 / 1 / 2 and Japanese, never a traceback."""

import subprocess
import sys

import pytest
from io_fixtures import PNG_BYTES, fixture

from kit import vocab


def validate(*args):
    result = subprocess.run([sys.executable, "-m", "kit", "validate", *map(str, args)],
                            capture_output=True, text=True, encoding="utf-8")
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_valid_file_exits_0_with_a_one_line_summary():
    result = validate("cases", fixture("cases.csv"))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["cases.csv: 3行を読み込みました（12列を対応づけ。"
                                          "読み替え: 「要介護状態区分」→要介護度、「課題」→生活課題）"]


def test_warnings_are_listed_after_the_summary_but_do_not_fail():
    result = validate("actors", fixture("actors.csv"))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "4行を読み込みました" in lines[0] and len(lines) == 3


def test_invalid_file_exits_1_with_each_problem():
    result = validate("cases", fixture("cases_bad.csv"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("cases_bad.csv: 読み込めませんでした")
    assert "cases_bad.csv 3行目「要介護度」: 「要介護６」は使えない値です" in result.stdout
    assert len(lines) == 1 + 5


@pytest.mark.parametrize("name, content", [
    ("photo.csv", PNG_BYTES),
    ("empty.csv", b""),
    ("random.csv", bytes(range(256)) * 64),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
    ("broken.xlsx", b"PK\x03\x04" + bytes(200)),
])
def test_any_bytes_exit_1_with_a_japanese_sentence(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = validate("cases", path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{name}: 読み込めませんでした")
    assert len(result.stdout.splitlines()) == 2


def test_unknown_kind_exits_2(tmp_path):
    result = validate("people", fixture("cases.csv"))
    assert result.returncode == 2
    assert "「people」という種類はありません" in result.stderr
    assert "cases" in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = validate("cases", tmp_path / "nothing.csv")
    assert result.returncode == 2
    assert "見つかりません" in result.stderr


def test_missing_argument_exits_2():
    result = validate("cases")
    assert result.returncode == 2
    assert "エラー" in result.stderr


@pytest.mark.slow
def test_a_50_mb_survey_is_validated(tmp_path):
    items = [f"問{i // 5 + 1}({i % 5 + 1})" for i in range(40)]
    header = ",".join(["回答者ID", "地区コード", "性別", "年齢", *vocab.RISK_FLAGS, *items])
    answers = ",".join(["1", "0"] * 4 + ["2", "1", "3", "4"] * 10)
    path = tmp_path / "survey.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\r\n")
        row = 0
        while out.tell() < 50 * 1024 * 1024:
            out.writelines(f"R{row + i:07d},0{(row + i) % 9 + 1},{'男女'[i % 2]},{65 + i % 30},{answers}\r\n"
                           for i in range(10_000))
            row += 10_000
    result = validate("needs_survey", path)
    assert result.returncode == 0, result.stdout[:2000]
    assert f"{row}行を読み込みました" in result.stdout
