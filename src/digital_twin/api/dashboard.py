"""The owner's dashboard at `/dashboard`: usage, cost, latency, cache, experiment variants, the
newest answers with their feedback, the gaps and the leads.

Only the owner gets in: with `TWIN_ADMIN_TOKEN` sent as `Authorization: Bearer …`, or typed once
in the login form, which sets an HttpOnly cookie holding a keyed hash of the token (never the
token itself). With no token configured, none of these routes exist (404).
"""

from __future__ import annotations

import hashlib
import hmac
import html
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..config import Settings
from ..service import Twin

COOKIE = "twin_admin"
COOKIE_SECONDS = 8 * 3600
WEB = resources.files("digital_twin") / "web"
PAGE = (WEB / "dashboard.html").read_text(encoding="utf-8")
LOGIN = (WEB / "login.html").read_text(encoding="utf-8")
NOT_AUTHORISED = {"error": "The dashboard needs the owner's token.",
                  "hint": "Send Authorization: Bearer <TWIN_ADMIN_TOKEN>, or log in at /dashboard."}


def dashboard_router(twin: Twin, settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    if settings.admin_token is None:
        return router
    token = settings.admin_token.get_secret_value().encode()
    # What the cookie holds: changes with the token, and cannot be turned back into it.
    session = hmac.new(token, b"digital-twin dashboard", hashlib.sha256).hexdigest()

    def authorised(request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token):
            return True
        cookie = request.cookies.get(COOKIE, "")
        return hmac.compare_digest(cookie.encode(), session.encode())

    def login_page(message: str = "", status: int = 200) -> HTMLResponse:
        note = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
        return HTMLResponse(LOGIN.replace("<!--message-->", note), status_code=status,
                            headers={"cache-control": "no-store"})

    @router.get("/dashboard")
    def page(request: Request) -> HTMLResponse:
        if not authorised(request):
            return login_page()
        return HTMLResponse(PAGE, headers={"cache-control": "no-store"})

    @router.post("/dashboard/login")
    def login(request: Request, token_field: Annotated[str, Form(alias="token")] = ""
              ) -> Response:
        if not hmac.compare_digest(token_field.strip().encode(), token):
            return login_page("That token does not open the dashboard. Look for TWIN_ADMIN_TOKEN "
                              "in the twin's settings.", status=401)
        response = RedirectResponse("/dashboard", status_code=303)
        response.set_cookie(COOKIE, session, max_age=COOKIE_SECONDS, path="/dashboard",
                            httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    @router.post("/dashboard/logout")
    def logout() -> Response:
        response = RedirectResponse("/dashboard", status_code=303)
        response.delete_cookie(COOKIE, path="/dashboard")
        return response

    @router.get("/dashboard/api/summary")
    def summary(request: Request,
                hours: Annotated[int, Query(ge=1, le=24 * 366)] = 24 * 7) -> JSONResponse:
        if not authorised(request):
            return JSONResponse(NOT_AUTHORISED, status_code=401,
                                headers={"www-authenticate": "Bearer"})
        data = twin.dashboard(hours * 3600)
        data["owner"] = twin.persona.name
        return JSONResponse(data, headers={"cache-control": "no-store"})

    return router
