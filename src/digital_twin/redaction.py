"""What is safe to show of a secret: which settings are secrets, and a URL without its
password."""

from __future__ import annotations

from urllib.parse import urlsplit

# The settings that hold a secret (`SecretStr`): never shown, never logged.
SECRETS = ("groq_api_key", "openai_api_key", "api_token", "admin_token", "database_url",
           "upstash_token")


def redacted(url: str) -> str:
    """A database URL without its password (in the address or in the query)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = "&".join(part for part in parts.query.split("&")
                     if part and not part.lower().startswith("password="))
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
