"""Leitner boxes and the due queue: pure logic, no I/O."""
