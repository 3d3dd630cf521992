"""``python -m composer`` runs the command line."""

from __future__ import annotations

import sys

from composer.cli import main

sys.exit(main())
