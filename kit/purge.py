"""After the training: delete one workshop's teams and everything they saved.

A workshop's record lives in the workspace ``@CODE`` and each team's work (notes,
cases, actor lists, drafts, peer reviews it received) in ``@CODE <team>``; nothing
of a workshop is stored anywhere else. :func:`purge_workshop` deletes exactly
those workspaces, and the SQLite store then clears the deleted bytes from its
files. Used by the facilitator's dashboard and by ``python -m kit purge``.
"""

from __future__ import annotations

import sys

from kit.store import StoreError, open_store
from kit.workshop import RESERVED_PREFIX, JoinError, find_workshop, normalise_code

__all__ = ["purge_workshop", "main"]


def _workspaces_of(store, code: str) -> list[str]:
    record = f"{RESERVED_PREFIX}{code}"
    return [name for name in store.workspaces() if name == record or name.startswith(record + " ")]


def purge_workshop(store, code: str) -> int:
    """Delete workshop ``code`` (its record and every team's workspace); returns the
    number of entries deleted. Raises :class:`JoinError` for an unknown code."""
    code = normalise_code(code)
    if find_workshop(store, code) is None:
        raise JoinError(f"研修コード「{code}」の研修は保存されていません。")
    return sum(store.delete_workspace(name) for name in _workspaces_of(store, code))


def main(code: str, store_url: str | None = None, yes: bool = False, stdin=None, stdout=None) -> int:
    """``python -m kit purge --workshop CODE``: says what will go, asks for the code
    to be typed again (unless ``yes``), deletes. Returns the exit status."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        store = open_store(store_url)
        code = normalise_code(code)
        workshop = find_workshop(store, code)
    except (StoreError, JoinError) as error:
        print(f"エラー: {error}", file=stdout)
        return 1
    if workshop is None:
        print(f"エラー: 研修コード「{code}」の研修は保存されていません。", file=stdout)
        return 1
    print(f"研修「{workshop.title}」（{code}）の {len(workshop.teams)} チームと、その入力内容をすべて削除します。"
          "元に戻せません。", file=stdout)
    if not yes:
        print("よければ、確認のため研修コードをもう一度入力してください: ", end="", file=stdout, flush=True)
        answer = (stdin.readline() or "").strip()
        try:
            confirmed = normalise_code(answer) == code
        except JoinError:
            confirmed = False
        if not confirmed:
            print("コードが一致しないため、何も削除しませんでした。", file=stdout)
            return 1
    deleted = purge_workshop(store, code)
    print(f"削除しました（{deleted}件）。", file=stdout)
    return 0
