"""What the commands share to print their results (not a command itself).

A command module never imports another command module: what two of them need goes
here when it is about the command line's output, else in the package it belongs to.
"""

from __future__ import annotations

import os
import sys


def emit(text: str) -> None:
    """Write to stdout; a closed pipe (``| head``) ends quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
