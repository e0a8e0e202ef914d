"""Tags as a person types them in a form (``team=payments, tier=1``) and the calls that bring a
resource's tags to what the form holds. Pure text handling; no Textual."""

from __future__ import annotations


def parse_tags(text: str) -> dict[str, str]:
    """``team=payments, tier=1`` -> {"team": "payments", "tier": "1"}; ValueError names the
    piece that is not ``key=value``."""
    tags: dict[str, str] = {}
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        key, sep, value = piece.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{piece!r} is not key=value (separate tags with commas)")
        tags[key.strip()] = value.strip()
    return tags


def tags_text(tags: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(tags.items()))


def tag_changes(old: dict[str, str], new: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(tags to set, keys to remove) that turn ``old`` into ``new``."""
    return ({k: v for k, v in new.items() if old.get(k) != v}, sorted(set(old) - set(new)))
