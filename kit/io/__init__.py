"""The kit's input layer: user files (CSV, workbooks) → canonical DataFrames.

``load(kind, source)`` reads one file of a kind of ``KINDS`` and returns a
``LoadResult``: the data, or a refusal with every problem in Japanese.
``sum_by_area(data, area_map)`` sums a table given per 町丁字 into 地区.
"""

from kit.io.area_map import AreaSum, sum_by_area
from kit.io.readers import KINDS, LoadResult, Problem, load

__all__ = ["KINDS", "AreaSum", "LoadResult", "Problem", "load", "sum_by_area"]
