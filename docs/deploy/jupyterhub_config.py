# JupyterHub on one Linux server for a prefecture-wide training: every participant
# logs in with a short ID and the room's password and gets their own single-user
# server, which opens the kit's Voilà landing page instead of JupyterLab. All
# servers save to one PostgreSQL database, so a team's work is the same whichever
# server a member uses. See docs/deploy/README.md; tests/test_jupyterhub.py runs
# this file (with a test spawner and ports).
#
# Run from the kit's environment, where kit, jupyterhub and jupyterhub-idle-culler
# are installed (pip install -e '.[hub]'):
#   KIT_STORE=postgresql://kit:…@db.example.lg.jp/kit KIT_HUB_PASSWORD=… \
#       jupyterhub -f docs/deploy/jupyterhub_config.py
import os
import sys

from kit.paths import NOTEBOOKS
from kit.serve import LANDING_PAGE, voila_environment

c = get_config()  # noqa: F821 - given by JupyterHub when it reads this file

c.JupyterHub.bind_url = os.environ.get("KIT_HUB_URL", "http://:8000")

# Participants: any ID (for example pref-01 … pref-60) with the room's password.
# Anyone with the password can sign in as any participant: fine for a training
# with sample data, not for real personal data (use your LDAP/OAuth authenticator).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["KIT_HUB_PASSWORD"]
c.Authenticator.allow_all = True

# Each participant's server: the kit's Voilà pages, as `python -m kit serve` shows them.
# Voilà runs as a jupyter-server extension; the kit's voila.json, page template and
# jupyter_server_config.py are found through JUPYTER_CONFIG_PATH / JUPYTER_PATH.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # this environment's
c.Spawner.notebook_dir = str(NOTEBOOKS)
c.Spawner.default_url = f"/voila/render/{LANDING_PAGE}"
c.Spawner.environment = voila_environment({}, store=os.environ.get("KIT_STORE"))
# Participants need system accounts for the default spawner; on a dedicated server
# jupyterhub-systemdspawner with dynamic users avoids creating sixty accounts:
#   c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
#   c.SystemdSpawner.dynamic_users = True
#   c.SystemdSpawner.mem_limit = "1G"

# Stop a participant's whole server after an hour without activity (Voilà pages
# themselves stop their kernels after 15 idle minutes, from voila.json).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
