"""`python -m govkg.network ACTION …`: the same as `govkg network ACTION …`."""

import sys

from .cli import main

sys.exit(main())
