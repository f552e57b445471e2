"""Reading deck files as text: encoding detection and binary/size guards."""

from __future__ import annotations

from pathlib import Path

from tutor.errors import DeckError

#: Files larger than this are refused rather than parsed (a deck is text, not a dump).
MAX_DECK_BYTES = 20 * 1024 * 1024


def decode_bytes(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode deck bytes: UTF-8, then UTF-8 with BOM, then cp1252. Returns (text, encoding).

    Binary data (NUL bytes) raises `DeckError`. Line endings are normalised to ``\\n``.
    """
    if b"\x00" in data[:65536]:
        raise DeckError(f"{name} looks like a binary file, not a text deck")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_text(path: Path, max_bytes: int = MAX_DECK_BYTES) -> tuple[str, str]:
    """Read a deck file as text, with the same guards as `decode_bytes`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DeckError(
                f"{path} is {size / 1e6:.0f} MB; decks over {max_bytes / 1e6:.0f} MB are refused"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DeckError(f"no such deck file: {path}") from None
    except IsADirectoryError:
        raise DeckError(f"{path} is a folder, not a deck file") from None
    except PermissionError:
        raise DeckError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise DeckError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_bytes(data, str(path))
