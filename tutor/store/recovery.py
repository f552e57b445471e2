"""What opening a store had to repair, the one line that tells the learner, and setting aside.

Repair never deletes or shortens a file without first keeping it whole as
``<name>.damaged-<time>`` in the profile folder (`set_aside`): what tutor could not
reconcile stays on disk for the learner (or a later tutor) to look at.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tutor.atomic import fsync_folder
from tutor.formatting import plural

#: Inserted between a file's name and the time it was set aside.
ASIDE_MARK = ".damaged-"


@dataclass(frozen=True)
class Recovery:
    """What opening the store had to repair."""

    damage: str
    """What was wrong, e.g. 'study.json: not valid JSON at byte 812'; '' for a cut-short write."""
    restored_from: str
    """'backup', 'review history' or '' (``study.json`` itself was used)."""
    lost_changes: int
    """Saved changes (reviews, undos, exam saves) that could not be recovered."""
    torn_write: bool
    """A change was being written when tutor stopped; it was never confirmed, and is dropped."""
    kept_answers: int | None = None
    """How many answers the store holds after the repair (None: not counted)."""
    set_aside: tuple[str, ...] = ()
    """Files kept as they were, e.g. 'study.json as study.json.damaged-20250101-093000'."""
    unreadable_journal: bool = False
    """The journal could not be read at all, so how many changes it held is unknown."""
    exams_from: str = ""
    """Where a rebuild took the exam records from: 'study.json', 'backup', 'journal' (it
    reaches back to the first change) or '' (older exam records are lost)."""

    def message(self, profile: str) -> str:
        """One line for the learner: what was wrong, what was kept, what was set aside."""
        who = f"profile '{profile}'"
        aside = f"; set aside {', '.join(self.set_aside)}" if self.set_aside else ""
        if not self.damage:
            return (f"tutor stopped while saving a change ({who}); that unconfirmed change was"
                    f" dropped, everything else is intact{aside}")
        if self.unreadable_journal:
            lost = "changes saved since study.json was last written could not be recovered"
        elif self.lost_changes == 0:
            lost = "nothing was lost"
        else:
            lost = f"{plural(self.lost_changes, 'saved change')} could not be recovered"
        if self.restored_from == "review history":
            exams = {"study.json": "exam records from study.json",
                     "backup": "exam records from the backup",
                     "journal": "exam records from the journal"}.get(
                self.exams_from, "older exam records could not be recovered")
            how = f"rebuilt the cards from the review history ({exams})"
        elif self.restored_from == "backup":
            how = "restored the last good backup and replayed the journal"
        else:
            how = "kept everything that could be read"
        kept = "" if self.kept_answers is None else (
            f"{plural(self.kept_answers, 'answer')} kept, ")
        return f"study data of {who} was damaged ({self.damage}); {how}: {kept}{lost}{aside}"


def set_aside(path: Path, *, copy: bool = False) -> str:
    """Keep ``path`` as ``<name>.damaged-<time>``: moved, or copied when it stays in use.

    Returns 'NAME as NEW-NAME' for the recovery message ('' when there was nothing to
    keep). A copy is on disk before this returns, so the original may then be cut.
    """
    if not path.exists():
        return ""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}{ASIDE_MARK}{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}{ASIDE_MARK}{stamp}-{number}")
    if copy:
        tmp = path.with_name(f".{target.name}.tmp")
        shutil.copyfile(path, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    else:
        os.replace(path, target)
    fsync_folder(path.parent)
    return f"{path.name} as {target.name}"
