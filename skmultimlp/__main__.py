"""``python -m skmultimlp``: the command line of :mod:`skmultimlp._cli`."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
