# Python part of the kit's Voilà configuration; the rest is in voila.json. Voilà reads
# both from kit/jupyter/config (on JUPYTER_CONFIG_PATH, set by kit/serve.py).
from kit.workspace import cell_timeout

# A per-cell limit instead of VoilaExecutor.timeout: the cell waiting for the
# visitor's request must not time out, every other cell must.
c.VoilaExecutor.timeout_func = cell_timeout  # noqa: F821 - `c` is given by the config loader

# nbclient waits 4 s by default for a cell's output once the cell has run. When a
# room opens pages together the server is busy for longer than that (over 60 s with
# 40 pages on 2 cores), nbclient gives up on the phase-2 cell's output and the page
# shows no widgets at all. Output that is merely late must still arrive.
c.VoilaExecutor.iopub_timeout = 600  # noqa: F821
