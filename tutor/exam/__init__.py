"""Timed exams: question selection, timing, results."""
