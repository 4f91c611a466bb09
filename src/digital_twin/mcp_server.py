"""The MCP server: lets Claude Desktop, VS Code Copilot and any MCP client interview the twin.

Tools ask, search and read the profile; resources expose its public sections; prompts give an
MCP client a recruiter persona to interview with. Served over stdio (`twin mcp`) and
streamable HTTP (mounted in the API app at `/mcp`).
"""

# No `from __future__ import annotations`: the section names are a Literal built at run time,
# and the SDK reads tool signatures to write their JSON schemas.

import json
import re
from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.shared.exceptions import MCPError
from pydantic import BaseModel, Field

from .errors import TwinError
from .service import Twin

INVALID_PARAMS = -32602  # JSON-RPC's code for invalid arguments
PERSONAS = {
    "hr_screen": ("HR screen",
                  "an HR recruiter running a first 20-minute screen: motivation, career story, "
                  "salary expectations, notice period, location and work authorisation"),
    "technical_interview": ("Technical interview",
                            "a senior engineer probing technical depth: the technologies used, "
                            "design decisions, trade-offs and measurable results"),
    "hiring_manager": ("Hiring manager",
                       "the hiring manager: scope of past roles, leadership, impact, how the "
                       "candidate works with others and what they want next"),
    "culture_fit": ("Culture fit",
                    "a future teammate assessing values, collaboration, feedback, conflict and "
                    "learning habits"),
}


def _fail(exc: Exception) -> ToolError:
    return ToolError(str(exc))


def label(key: str) -> str:
    """A section key as a person would title it: `salary_location` -> `Salary location`."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", key).replace("_", " ").replace("-", " ")
    words = " ".join(words.split()).lower()
    return words[:1].upper() + words[1:]


class FitResult(BaseModel):
    """`assess_fit`'s structured content."""

    summary: str = Field(description="The must-haves met, partly met and not in the profile")
    counts: dict[str, dict[str, int]] = Field(description="Verdicts by kind: must, nice, duty")
    requirements: list[dict[str, Any]] = Field(description="Each requirement, its kind, verdict "
                                               "and quoted evidence (text, title, source)")


def create_mcp(twin: Twin) -> MCPServer:
    persona = twin.persona
    who = persona.display
    mcp = MCPServer(
        name="digital-twin",
        title=f"{who} — digital twin",
        instructions=(f"This server is the digital twin of {who}. Use ask_digital_twin for "
                      "questions about their career, search_profile for raw passages, and "
                      "get_profile_section to read a section. Answers cite the profile."),
    )
    sections: dict[str, Any] = twin.profile()["sections"]

    @mcp.tool()
    async def ask_digital_twin(
        question: Annotated[str, Field(description="What a recruiter would ask")],
        session_id: Annotated[str | None, Field(
            description="Reuse the session_id from an earlier answer to keep the context")] = None,
    ) -> dict:
        """Ask the twin a question; it answers in the first person and cites its sources."""
        try:
            answer = await twin.aask(question, session_id)
        except TwinError as exc:
            raise _fail(exc) from exc
        return {"answer": answer.answer, "session_id": answer.session_id,
                "sources": answer.sources,
                "provider": answer.provider, "fallback_reason": answer.fallback_reason,
                "cached": answer.cached}

    @mcp.tool()
    def search_profile(
        query: Annotated[str, Field(description="Keywords or a question")],
        top_k: Annotated[int | None, Field(
            ge=1, le=20, description="How many passages (default: the twin's TWIN_TOP_K)")] = None,
    ) -> dict:
        """Raw passages of the profile that best match the query (no LLM), best first."""
        try:
            return {"query": query, "hits": [hit.public() for hit in twin.search(query, top_k)]}
        except TwinError as exc:
            raise _fail(exc) from exc

    @mcp.tool()
    def assess_fit(
        posting: Annotated[str, Field(description="The job posting's text (Markdown or plain)")],
    ) -> FitResult:
        """Judge the owner's profile against a job posting, requirement by requirement: each
        requirement's kind (must, nice, duty), a verdict (meets, partly, not in profile) and the
        profile passages that show it, with a summary of the must-haves. No LLM."""
        try:
            return FitResult(**twin.fit(posting).public())
        except TwinError as exc:
            raise _fail(exc) from exc

    @mcp.tool()
    def get_profile_section(
        section: Annotated[str, Field(description="A section of the profile, as list_topics "
                                                  f"names them (now: {', '.join(sections)})")],
    ) -> dict:
        """One section of the profile, private fields removed."""
        current = twin.profile()["sections"]  # re-read: the owner may have re-ingested
        if section not in current:
            raise ToolError(f"No section '{section}'. The sections are: "
                            f"{', '.join(current) or 'none yet'}.")
        return {"section": section, "content": current[section]}

    @mcp.tool()
    def leave_contact(
        name: Annotated[str, Field(description="The person who wants to talk to the owner")],
        email: Annotated[str, Field(description="Where the owner can reach them")],
        message: Annotated[str, Field(description="What they would like to discuss")],
        company: Annotated[str | None, Field(description="Their company")] = None,
        session_id: Annotated[str | None, Field(
            description="The session_id of the conversation, so the owner sees it")] = None,
    ) -> dict:
        """Leave a recruiter's contact details for the owner, who is notified."""
        try:
            lead = twin.leave_contact(name, email, message, company=company,
                                      session_id=session_id)
        except TwinError as exc:
            raise _fail(exc) from exc
        return {"id": lead, "status": "The owner has your details and will be in touch."}

    @mcp.tool()
    def list_topics() -> dict:
        """The profile's sections and the titles of its passages: what the twin can talk about."""
        return twin.topics()

    for name in sections:
        _add_section_resource(mcp, twin, name)

    @mcp.resource("profile://sections/{name}", name="section", mime_type="application/json",
                  description="Any section of the profile by name, including sections added "
                              "by a later ingest (private parts removed)")
    def section(name: str) -> str:
        current = twin.profile()["sections"]
        if name not in current:
            raise ResourceNotFoundError(f"No section '{name}'. The sections are: "
                                        f"{', '.join(current) or 'none yet'}.")
        return json.dumps(current[name], ensure_ascii=False, indent=2)

    @mcp.resource("profile://owner", name="owner", mime_type="application/json",
                  description="Who the twin is: name, title, location, public contact")
    def owner() -> str:
        return json.dumps(twin.profile()["owner"], ensure_ascii=False, indent=2)

    for key, (title, role) in PERSONAS.items():
        _add_persona_prompt(mcp, key, title, role, who, twin.settings.max_job_description_chars)
    return mcp


def _add_section_resource(mcp: MCPServer, twin: Twin, name: str) -> None:
    def read() -> str:
        content = twin.profile()["sections"].get(name)
        return json.dumps(content, ensure_ascii=False, indent=2)

    mcp.resource(f"profile://sections/{name}", name=name, title=label(name),
                 description=f"The '{label(name)}' section of the profile (private parts removed)",
                 mime_type="application/json")(read)


def _add_persona_prompt(mcp: MCPServer, key: str, title: str, role: str, who: str,
                        limit: int) -> None:
    def prompt(job_description: Annotated[str, Field(
            description=f"The posting, up to {limit} characters")] = "") -> str:
        posting = job_description.strip()
        if len(posting) > limit:  # a protocol error, so the client sees this message
            raise MCPError(INVALID_PARAMS, f"The job description is {len(posting)} characters "
                                           f"long; the limit is {limit}. Paste its main part.")
        return Twin.interviewer_prompt(role, who, posting)

    mcp.prompt(name=key, title=title,
               description=f"{title}: interview the twin as {role}. Optionally paste a job "
                           f"description (up to {limit} characters).")(prompt)


def mcp_http_app(mcp: MCPServer, allowed_hosts: list[str]):
    """The streamable-HTTP app, answering at `/mcp`, guarded against DNS rebinding.

    With no allowed hosts configured only localhost names are accepted; behind a public name,
    list it in TWIN_ALLOWED_HOSTS (e.g. `twin.example.com,twin.example.com:*`).
    """
    from mcp.server.transport_security import TransportSecuritySettings

    security = None
    if allowed_hosts:
        security = TransportSecuritySettings(
            allowed_hosts=allowed_hosts,
            allowed_origins=[f"{scheme}://{host}" for host in allowed_hosts
                             for scheme in ("http", "https")])
    return mcp.streamable_http_app(streamable_http_path="/mcp", transport_security=security)
