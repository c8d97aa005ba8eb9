# Python part of the kit's Voilà configuration; the rest is in voila.json. Voilà reads
# both from kit/jupyter/config (on JUPYTER_CONFIG_PATH, set by kit/serve.py).
from kit.workspace import cell_timeout

# A per-cell limit instead of VoilaExecutor.timeout: the cell waiting for the
# visitor's request must not time out, every other cell must.
c.VoilaExecutor.timeout_func = cell_timeout  # noqa: F821 - `c` is given by the config loader
