"""Serves the JupyterLab that webpack built into build/ with Debian's
jupyterlab_server (LabServerApp) on jupyter_server, as JupyterLab's
examples/app does. Arguments are jupyter_server's: the test passes the
port, the notebook folder and a token."""

import json
import os

from jupyter_core.paths import jupyter_config_dir
from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
# Where JupyterLab keeps a user's settings and workspaces: under
# JUPYTER_CONFIG_DIR, which a test points at a folder of its own.
STATE = os.path.join(jupyter_config_dir(), "lab")

# Configuration files of the machine's user must not change the lab.
os.environ["JUPYTER_NO_CONFIG"] = "1"

with open(os.path.join(HERE, "package.json")) as f:
    version = json.load(f)["version"]


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": ReckonLab}]


class ReckonLab(LabServerApp):
    extension_url = "/lab"
    default_url = "/lab"
    name = __name__
    load_other_extensions = False
    app_name = "JupyterLab"
    app_version = version
    app_settings_dir = os.path.join(BUILD, "application_settings")
    schemas_dir = os.path.join(BUILD, "schemas")
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    themes_dir = os.path.join(BUILD, "themes")
    user_settings_dir = os.path.join(STATE, "user-settings")
    workspaces_dir = os.path.join(STATE, "workspaces")

    def initialize_settings(self):
        super().initialize_settings()
        self.serverapp.web_app.settings["terminals_available"] = False


if __name__ == "__main__":
    ReckonLab.launch_instance()
