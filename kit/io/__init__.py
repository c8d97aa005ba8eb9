"""The kit's input layer: user files (CSV, .xlsx) → canonical DataFrames.

``load(kind, source)`` reads one file of a kind of ``KINDS`` and returns a
``LoadResult``: the data, or a refusal with every problem in Japanese.
"""

from kit.io.readers import KINDS, LoadResult, Problem, load

__all__ = ["KINDS", "LoadResult", "Problem", "load"]
