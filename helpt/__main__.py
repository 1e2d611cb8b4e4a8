"""`python -m helpt`: the same as the `helpt` command."""

import sys

from .cli import main

sys.exit(main())
