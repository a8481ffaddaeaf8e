"""Test configuration: on CI, hypothesis explores a fixed (derandomised) set of examples so a run
is reproducible; locally every run draws new examples and keeps finding new edge cases."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
