"""Terminal-safe text: control characters and escape sequences removed where text enters.

Deck files and imported packages come from anywhere; a title holding ``\\x1b[2J`` would
clear the learner's screen when printed, and an OSC sequence (``\\x1b]0;…\\x07``) would
retitle their terminal. `clean_text` removes ESC sequences (CSI, OSC/DCS/APC/PM/SOS
with their payload, and two-character ones), C0 controls except ``\\n`` and ``\\t``,
DEL and C1 controls. It is linear in the text and returns the text itself when there
is nothing to remove.
"""

from __future__ import annotations

import re

#: Every character `clean_text` may remove (a fast "nothing to do" check).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Whole escape sequences. An unterminated string sequence is not swallowed to the end
#: of the text (that would lose cards): only its introducer goes, as a control.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: ESC [ params intermediates final
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)"  # OSC…
    r"|\x1b[ -/]*[0-~]"  # other ESC sequences: ESC c, ESC 7, ESC ( B
)


def clean_text(text: str) -> str:
    """``text`` without escape sequences and control characters (``\\n`` and ``\\t`` kept)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE.sub("", text))

