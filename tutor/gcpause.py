"""`paused_gc`: no cyclic garbage collection while a large structure is built.

Python's cyclic collector runs after every few hundred new container objects and, as
the heap grows, walks all of it: reading 100,000 reviews (millions of lists, strings and
tuples, none of them in a cycle) spent more time collecting than parsing. Reference
counting still frees everything as usual while the collector is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block; it resumes after (only if it was
    running before, so nested or concurrent uses never switch it on early for good)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
