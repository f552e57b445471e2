"""`paused_gc`: no cyclic garbage collection while a large structure is built.

Python's cyclic collector runs after every few hundred new container objects and, as
the heap grows, walks all of it: reading 100,000 reviews (millions of lists, strings and
tuples, none of them in a cycle) spent more time collecting than parsing. Reference
counting still frees everything as usual while the collector is paused.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
"""How many `paused_gc` blocks are open, in all threads."""
_resume = False
"""Whether the collector was running when the first of them began."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block; it resumes when the last block
    open in any thread ends, and only if it was running before the first began (so nested
    or concurrent uses never switch it on early, nor leave it off for good)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
