"""`paused_gc`: the cyclic collector is off inside the block and as it was after."""

from __future__ import annotations

import gc

import pytest

from tutor.gcpause import paused_gc


def test_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the inner block must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_threads_never_leave_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thread B checks the collector while A has it paused; A ends its block before B
    switches it off: B must not keep it off for good (the app would then never collect)."""
    import threading

    import tutor.gcpause as gcpause

    class FakeGC:
        """The collector's switch, with thread B held right after it checked it."""

        def __init__(self) -> None:
            self.enabled = True
            self.b_checked = threading.Event()
            self.a_done = threading.Event()

        def isenabled(self) -> bool:
            state = self.enabled
            if threading.current_thread().name == "B":
                self.b_checked.set()
                self.a_done.wait(timeout=2)  # A ends its block here (unless B holds it off)
            return state

        def enable(self) -> None:
            self.enabled = True

        def disable(self) -> None:
            self.enabled = False

    fake = FakeGC()
    monkeypatch.setattr(gcpause, "gc", fake)
    a_in, b_in = threading.Event(), threading.Event()

    def a() -> None:
        with paused_gc():
            a_in.set()
            fake.b_checked.wait(timeout=2)
        fake.a_done.set()

    def b() -> None:
        a_in.wait(timeout=2)
        with paused_gc():
            b_in.set()
            fake.b_checked.set()  # (a B that did not check need not hold A up)

    threads = [threading.Thread(target=a, name="A"), threading.Thread(target=b, name="B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert b_in.is_set() and fake.enabled
