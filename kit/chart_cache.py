"""Drawn charts kept on disk, shared by every kernel of a server.

Drawing one chart takes vl-convert a few hundred milliseconds (the national map,
seconds), and in a training room every participant's kernel draws the same charts
of the same sample town. A chart is stored under a hash of what determines it: the
caller's description (chart name, choices, a fingerprint of the data) and the source
of the modules that draw charts, so a changed chart style never serves an old picture.
Files are written whole (temporary file, then rename), so a kernel never reads half
of what another is writing. Any disk problem just means drawing again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kit import charts

__all__ = ["ENV_VAR", "cache_dir", "fingerprint", "svg", "png"]

ENV_VAR = "KIT_CHART_CACHE"
_MEMORY: dict[str, bytes] = {}
_MEMORY_MAX = 256


def cache_dir() -> Path | None:
    """``$KIT_CHART_CACHE``; else ``chart-cache`` beside a file store named by
    ``$KIT_STORE`` (so tests and a served room keep it with their store); else the
    user's cache folder."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    store = os.environ.get("KIT_STORE", "")
    if store and "://" not in store:
        return Path(store).expanduser().resolve().parent / "chart-cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("chiiki-kit", appauthor=False)) / "charts"


@lru_cache(maxsize=1)
def _code_version() -> str:
    """Hash of the sources that decide how a chart looks."""
    from kit import maps
    from kit.steps.assessment import charts as assessment_charts

    digest = hashlib.sha256()
    for module in (charts, assessment_charts, maps):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(*tables: pd.DataFrame) -> str:
    """A short hash of tables' contents, to tell one town's data from another's."""
    digest = hashlib.sha256()
    for table in tables:
        digest.update(repr(list(table.columns)).encode())
        digest.update(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def _cached(parts: tuple, suffix: str, make: Callable[[], bytes]) -> bytes:
    key = hashlib.sha256(repr((_code_version(), *parts)).encode()).hexdigest()[:32] + suffix
    if key in _MEMORY:
        return _MEMORY[key]
    directory = cache_dir()
    path = directory / key if directory else None
    data = None
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    if data is None:
        data = make()
        if path is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=directory, delete=False) as handle:
                    handle.write(data)
                os.replace(handle.name, path)
            except OSError:
                pass
    if len(_MEMORY) >= _MEMORY_MAX:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = data
    return data


def svg(parts: tuple, make: Callable[[], object]) -> str:
    """The SVG of the chart ``make()`` returns, drawn once for these ``parts``."""
    return _cached(parts, ".svg", lambda: charts.to_svg(make()).encode("utf-8")).decode("utf-8")


def png(parts: tuple, make: Callable[[], tuple[object, dict | None]], scale: float = 2) -> bytes:
    """The PNG of ``make()`` = (chart, datasets), drawn once for these ``parts``."""
    def draw() -> bytes:
        chart, datasets = make()
        return charts.to_png(chart, scale=scale, datasets=datasets)

    return _cached((*parts, scale), ".png", draw)
