"""Entry script: ``python main.py`` does the same as the ``bodymap`` command."""

import sys

from bodymap.cli import main

if __name__ == "__main__":
    sys.exit(main())
