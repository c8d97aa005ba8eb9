"""Which workspace a page works in, read from the page's URL.

Every page is built in two phases: imports, sample data and widgets first (a
preheated Voilà kernel runs this before anyone asks for the page), then
:func:`request_workspace`, which waits for the request and reads ``?ws=`` from it.
A participant's work is therefore never tied to a kernel: it is in the store, under
the workspace named in the URL, and every link between pages carries that name.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, quote

__all__ = ["QUERY_KEY", "DEFAULT_WORKSPACE", "CELL_TIMEOUT", "request_query",
           "workspace_from_query", "request_workspace", "page_link", "cell_timeout"]

QUERY_KEY = "ws"
# Used when a page is opened without choosing a workspace (self-study at home).
DEFAULT_WORKSPACE = "個人学習"
# Seconds a page's cell may run before Voilà gives up and shows an error, so a
# stuck cell never leaves the page loading forever (KIT_CELL_TIMEOUT overrides).
CELL_TIMEOUT = 120


def request_query() -> str:
    """The query string of the page request. Under a preheated Voilà kernel this
    blocks until the request arrives; outside Voilà (tests, JupyterLab) it returns
    the ``QUERY_STRING`` environment variable or an empty string."""
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def workspace_from_query(query: str) -> str | None:
    """The raw workspace name in a query string, or None when absent or blank."""
    values = parse_qs(query.lstrip("?")).get(QUERY_KEY, [])
    name = values[0].strip() if values else ""
    return name or None


def request_workspace() -> str | None:
    return workspace_from_query(request_query())


def page_link(page: str, workspace: str | None) -> str:
    """Relative link to another notebook page that keeps the workspace."""
    if not workspace:
        return page
    return f"{page}?{QUERY_KEY}={quote(workspace, safe='')}"


def cell_timeout(cell) -> int | None:
    """Voilà's per-cell time limit (``VoilaExecutor.timeout_func``).

    In a preheated kernel, the cell that calls :func:`request_workspace` (or
    :func:`request_query`) waits for a visitor who may come hours later: a cell
    that does nothing else gets no limit. Every other cell does, including the
    one that opens the workspace once the visitor has come, so that a workspace
    too large to open ends in a message rather than a page loading forever."""
    lines = [line.strip() for line in cell.source.splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    if code and all(_WAIT.match(line) for line in code):
        return None
    return int(os.environ.get("KIT_CELL_TIMEOUT", CELL_TIMEOUT))


# A line that only waits for the request: ``request_query()``, ``workspace = request_workspace()``.
_WAIT = re.compile(rf"^(\w+\s*=\s*)?({request_workspace.__name__}|{request_query.__name__})\(\)$")
