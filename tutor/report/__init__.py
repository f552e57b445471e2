"""Weak-topic analytics over the study history."""
