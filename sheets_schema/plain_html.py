"""A plain-text message as simple HTML: the same words, paragraphs and line breaks kept, addresses made links.

The mail's HTML part (sync.postman) and the local mailbox's page (webhooks.outbox)
show a message the same way.
"""

from __future__ import annotations

import html
import re

_LINK = re.compile(r"https?://[^\s<]+")


def html_paragraphs(text: str) -> list[str]:
    """Each paragraph of `text` (split on blank lines) as escaped HTML, line breaks as <br>, links as <a>."""
    out = []
    for paragraph in text.split("\n\n"):
        linked = _LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', html.escape(paragraph))
        out.append(linked.replace("\n", "<br>"))
    return out
