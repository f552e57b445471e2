"""Small renderings for the deck list: a mastery bar and "last studied" in words."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content


def mastery_bar(share: float, width: int = 10) -> Content:
    """'███░░░░░░░  30%': the share of cards in the top boxes."""
    share = max(0.0, min(1.0, share))
    filled = round(share * width)
    return Content.assemble(("█" * filled, "$success"), ("░" * (width - filled), "$text-muted"),
                            f" {share:4.0%}")


def last_studied_text(when: datetime | None, now: datetime) -> str:
    """'never', 'today', 'yesterday', '3 days ago', '5 weeks ago'."""
    if when is None:
        return "never"
    days = (now.date() - when.astimezone(now.tzinfo).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return when.astimezone(now.tzinfo).strftime("%Y-%m-%d")
