"""Hypothesis settings of the fuzz targets: a short run in the suite, `make fuzz` for the long one.

EXPLORER_FUZZ_EXAMPLES sets the examples per target (default 25; `make fuzz` uses 10,000). No per-example
deadline: a shared, loaded machine must not turn a slow example into a failure.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("EXPLORER_FUZZ_EXAMPLES", "25"))

settings.register_profile(
    "explorer-fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no .hypothesis folder left in the checkout
    print_blob=True,  # a failure prints the blob that reproduces it
)
FUZZ = settings.get_profile("explorer-fuzz")
