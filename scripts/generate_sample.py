#!/usr/bin/env python3
"""Generate a deterministic sample of closedloop's raw landing feeds (see ``--help``; the world
model is described in scripts/sample/__init__.py). A thin entry point kept at this path for
the Makefile, scripts/bench.py and the tests; the generator is the package scripts/sample/."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the package lives beside this file

from sample.cli import main  # noqa: E402
from sample.feeds import CUSTOMER_COLUMNS  # noqa: E402,F401  (tests/python/test_generator.py)

if __name__ == "__main__":
    sys.exit(main())
