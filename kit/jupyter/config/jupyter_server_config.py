# Read by jupyter-server when kit/jupyter/config is on JUPYTER_CONFIG_PATH, that is
# when Voilà runs as a server extension (JupyterHub, Binder) rather than as
# `python -m kit serve`. There the server, not Voilà, owns the kernels, the web
# settings and the configuration Voilà's executor reads, so they come from the kit's
# Voilà files here: voila.json and voila.py stay the one place they are set.
import json
from pathlib import Path

from traitlets.config import Config

_here = Path(__file__).parent
_voila = json.loads((_here / "voila.json").read_text(encoding="utf-8"))
c.merge(Config({  # noqa: F821 - `c` is given by jupyter's config loader
    "MappingKernelManager": _voila["MappingKernelManager"],
    "ServerApp": {"tornado_settings": _voila["Voila"]["tornado_settings"],
                  "kernel_websocket_connection_class": _voila["Voila"]["kernel_websocket_connection_class"]},
}))
load_subconfig(str(_here / "voila.py"))  # noqa: F821 - its VoilaExecutor settings
