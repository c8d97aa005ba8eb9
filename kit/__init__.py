"""地域づくりワークショップキット: the library behind the kit's Voilà notebooks.

Importing ``kit`` makes two heavy imports lazy for the whole process, because
every page's kernel pays for them at start and most never use them: the charts a
page shows usually come from the shared chart cache (``kit.chart_cache``), so
Altair (about 40 MiB and a second of CPU) and vl-convert are imported when a chart
is actually drawn, on first use, and not before.
"""

import importlib
import importlib.util
import sys
import types

__version__ = "0.1.0"


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module not imported yet; the first attribute
    it lacks imports the real module, which it then passes every lookup to."""

    def __getattr__(self, attribute: str):
        real = self.__dict__.get("_real")
        if real is None:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = self.__dict__["_real"] = importlib.import_module(name)
        return getattr(real, attribute)


def _defer(name: str) -> None:
    spec = None if name in sys.modules else importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec  # what `import name` checks before returning it as it is
    sys.modules[name] = stand_in


# Altair imports jsonschema, which imports the optional rfc3987-syntax if it is
# installed (jupyter-events pulls it in) and builds its IRI grammar on import: 2 s
# of CPU per kernel, for a format check the kit's charts never need. Marking it
# absent before anything imports jsonschema skips only that check.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
for _name in ("altair", "vl_convert"):
    _defer(_name)
