"""tutor: an offline terminal flashcard tutor with free-form answers graded locally."""

__version__ = "0.1.0"
