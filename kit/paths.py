"""Where the kit's own files are. The kit is installed editable (``pip install -e``),
so notebooks and data are read from the checkout beside the package."""

from pathlib import Path

__all__ = ["REPO", "NOTEBOOKS", "DATA", "SAMPLE_TOWN", "REFERENCE", "JUPYTER_DIR"]

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
DATA = REPO / "data"
SAMPLE_TOWN = DATA / "sample_town"
REFERENCE = DATA / "reference"
# Voilà configuration and template committed with the kit.
JUPYTER_DIR = Path(__file__).resolve().parent / "jupyter"
