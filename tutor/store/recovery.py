"""What opening a store had to repair, and the one line that tells the learner."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recovery:
    """What opening the store had to repair."""

    damage: str
    """What was wrong, e.g. 'study.json: not valid JSON at byte 812'; '' for a cut-short write."""
    restored_from: str
    """'backup', 'review history' or '' (``study.json`` itself was fine)."""
    lost_changes: int
    """Saved changes (reviews, undos, exam saves) that could not be recovered."""
    torn_write: bool
    """A change was being written when tutor stopped; it was never confirmed, and is dropped."""

    def message(self, profile: str) -> str:
        """One line for the learner."""
        who = f"profile '{profile}'"
        if not self.damage:
            return (f"tutor stopped while saving a change ({who}); that unconfirmed change was"
                    " dropped, everything else is intact")
        lost = ("nothing was lost" if self.lost_changes == 0 else
                f"{self.lost_changes} saved change{'s' if self.lost_changes != 1 else ''}"
                " could not be recovered")
        how = {
            "backup": "restored the last good backup and replayed the journal",
            "review history": ("no usable backup; rebuilt the cards from the review history"
                               " (exam records could not be recovered)"),
        }.get(self.restored_from, "kept everything that could be read")
        return f"study data of {who} was damaged ({self.damage}); {how}: {lost}"
