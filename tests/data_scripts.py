"""Import the generator scripts of ``data/`` (not a package) so tests can call them."""

import importlib.util
import sys

from kit.paths import DATA


def load_script(name: str):
    """The module ``data/<name>.py``, imported once per test session."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
