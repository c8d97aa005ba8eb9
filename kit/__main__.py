"""Command line: ``python -m kit serve|validate …``."""

import sys

from kit.cli import main

sys.exit(main())
