"""Session-wide test settings: every test, notebook run and served page writes to a
throwaway workspace store, never the user's own."""

import os
import tempfile
from pathlib import Path


def pytest_configure(config):
    if "KIT_STORE" not in os.environ:
        store_dir = Path(tempfile.mkdtemp(prefix="kit-test-store-"))
        os.environ["KIT_STORE"] = str(store_dir / "workspaces.sqlite")
