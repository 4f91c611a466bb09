"""The chat page as the server sends it: titled with the owner's name, with a link preview
(Open Graph) so that a shared link shows the person, not "Digital Twin"."""

from __future__ import annotations

import html
from importlib import resources

TEMPLATE = (resources.files("digital_twin") / "web" / "static" / "index.html").read_text()
DEFAULT_TITLE = "<title>Digital Twin</title>"


def render_page(owner: dict) -> str:
    name = owner.get("name")
    if not name:
        return TEMPLATE
    title = f"{name} · Digital Twin"
    description = owner.get("summary") or owner.get("title") or (
        f"Ask {name}'s digital twin about their work.")
    description = " ".join(str(description).split())[:300]
    head = [f"<title>{html.escape(title)}</title>",
            f'<meta name="description" content="{html.escape(description)}">',
            f'<meta property="og:title" content="{html.escape(title)}">',
            f'<meta property="og:description" content="{html.escape(description)}">',
            '<meta property="og:type" content="profile">']
    return TEMPLATE.replace(DEFAULT_TITLE, "\n  ".join(head), 1)
