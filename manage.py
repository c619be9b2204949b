#!/usr/bin/env python3
"""Django's command-line utility; ``karnameh`` (in .venv/bin) is the same thing."""

from karnameh.__main__ import main

if __name__ == "__main__":
    main()
