"""Visitors who want to talk to the owner: checked, kept with what they asked, and announced to
the owner when `TWIN_NOTIFY_URL` is set."""

from __future__ import annotations

import re
from dataclasses import asdict

from .errors import QuestionError
from .observability.notify import Notifier
from .stores import LeadLog, LeadRecord
from .text import valid_text

EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
LIMITS = {"name": 200, "email": 254, "company": 200, "message": 4000}


def checked(field: str, value: str | None, required: bool = True) -> str | None:
    value = " ".join((value or "").split()) if field != "message" else (value or "").strip()
    if not value:
        if required:
            raise QuestionError(f"The {field} is empty.", hint=f"Fill in your {field}.")
        return None
    if len(value) > LIMITS[field]:
        raise QuestionError(f"The {field} is {len(value)} characters long; the limit is "
                            f"{LIMITS[field]}.", hint="Shorten it.")
    return valid_text(value, field)


class Leads:
    def __init__(self, store: LeadLog, notifier: Notifier):
        self.store, self.notifier = store, notifier

    def leave(self, name: str, email: str, message: str, company: str | None,
              session_id: str | None, questions: list[str]) -> int:
        email = checked("email", email)
        if not EMAIL.match(email):
            raise QuestionError(f"'{email}' does not look like an email address.",
                                hint="Use the form name@example.com.")
        record = LeadRecord(checked("name", name), email, checked("message", message),
                            checked("company", company, required=False), session_id,
                            questions[-20:])
        lead_id = self.store.record_lead(record)
        who = record.name + (f" ({record.company})" if record.company else "")
        self.notifier.send(f"New contact from your digital twin: {who} <{record.email}>: "
                           f"{record.message}", kind="lead", lead=asdict(record))
        return lead_id

    def listed(self, since: float) -> list[dict]:
        return [asdict(lead) for lead in self.store.leads(10**6, since)]
