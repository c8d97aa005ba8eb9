"""The landing page's own state in the workspace."""

from __future__ import annotations

__all__ = ["MEMO_KEY"]

MEMO_KEY = "start/memo"   # この研修で持ち帰りたいこと
