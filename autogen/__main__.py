"""``python -m autogen``: the same as the ``autogen`` command."""

from __future__ import annotations

import sys

from autogen.cli import main

sys.exit(main())
