"""``python -m kit validate KIND FILE``: check one input file from a terminal.

Exit 0 with a one-line summary (and any warnings) when the file loads; 1 with
the problems when it does not; 2 when the command itself is wrong. Whatever
the bytes, the user sees Japanese sentences, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kit.io.readers import KINDS, load

__all__ = ["main"]

_USAGE = f"使い方: python -m kit validate 種類 ファイル（種類: {'、'.join(KINDS)}）"
_LIMIT = 50


def _validate(kind: str, file: str) -> int:
    result = load(kind, file)
    print(result.report(limit=_LIMIT))
    return 0 if result.ok else 1


def main(argv: list[str]) -> int:
    """``argv``: the arguments after ``validate``, i.e. ``[KIND, FILE]``."""
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character must not turn a report into a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if len(argv) != 2:
        print(f"エラー: 種類とファイルを1つずつ指定してください\n{_USAGE}", file=sys.stderr)
        return 2
    kind, file = argv
    if kind not in KINDS:
        print(f"エラー: 「{kind}」という種類はありません\n{_USAGE}", file=sys.stderr)
        return 2
    if not Path(file).is_file():
        print(f"エラー: ファイル「{file}」が見つかりません", file=sys.stderr)
        return 2
    try:
        return _validate(kind, file)
    except Exception as error:  # the last guard: a user never gets a traceback
        print(f"{Path(file).name}: 予期しない問題で検査を終えられませんでした（{type(error).__name__}）。"
              "ファイルを Excel で開いて保存し直してから、もう一度お試しください", file=sys.stdout)
        return 1
