"""The owner's dashboard at `/dashboard`: usage, cost, latency, cache, experiment variants, the
newest answers with their feedback, the gaps and the leads.

Only the owner gets in: with `TWIN_ADMIN_TOKEN` sent as `Authorization: Bearer …`, or typed once
in the login form, which sets an HttpOnly cookie holding the time it was issued and a keyed hash
of that time (never the token): it expires after 8 hours whatever the browser does, and changing
the token ends every login. The login and logout forms refuse posts from other sites. With no
token configured, none of these routes exist (404).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import time
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..config import Settings
from ..service import Twin
from .guards import whole_number

COOKIE = "twin_admin"
COOKIE_SECONDS = 8 * 3600
WEB = resources.files("digital_twin") / "web"
SHELL = (WEB / "admin.html").read_text(encoding="utf-8")
SCRIPTS = ('  <script src="/static/vendor/chart.umd.min.js" defer></script>\n'
           '  <script src="/static/dashboard.js" defer></script>')
PAGE = SHELL.replace("<!--scripts-->", SCRIPTS).replace(
    "<!--body-->", (WEB / "dashboard.html").read_text(encoding="utf-8"))
LOGIN = SHELL.replace("<!--scripts-->\n", "").replace(
    "<!--body-->", (WEB / "login.html").read_text(encoding="utf-8"))
NOT_AUTHORISED = {"error": "The dashboard needs the owner's token.",
                  "hint": "Send Authorization: Bearer <TWIN_ADMIN_TOKEN>, or log in at /dashboard."}


def dashboard_router(twin: Twin, settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    if settings.admin_token is None:
        return router
    token = settings.admin_token.get_secret_value().encode()

    def signed(issued: int) -> str:
        mark = hmac.new(token, f"dashboard {issued}".encode(), hashlib.sha256).hexdigest()
        return f"{issued}.{mark}"

    def authorised(request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token):
            return True
        cookie = request.cookies.get(COOKIE, "")
        issued = whole_number(cookie.partition(".")[0], 12)
        if issued is None or not 0 <= time.time() - issued <= COOKIE_SECONDS:
            return False
        return hmac.compare_digest(cookie.encode(), signed(issued).encode())

    def same_site(request: Request) -> bool:
        """Not a form another site made the owner's browser post: browsers say where a
        request comes from in `Sec-Fetch-Site` (whatever a proxy does to `Host`)."""
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")

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
        if not same_site(request):
            return login_page("Log in from the dashboard's own page.", status=403)
        if not hmac.compare_digest(token_field.strip().encode(), token):
            return login_page("That token does not open the dashboard. Look for TWIN_ADMIN_TOKEN "
                              "in the twin's settings.", status=401)
        response = RedirectResponse("/dashboard", status_code=303)
        response.set_cookie(COOKIE, signed(int(time.time())), max_age=COOKIE_SECONDS,
                            path="/dashboard",
                            httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    @router.post("/dashboard/logout")
    def logout(request: Request) -> Response:
        if not same_site(request):
            return login_page("Log out from the dashboard's own page.", status=403)
        response = RedirectResponse("/dashboard", status_code=303)
        response.delete_cookie(COOKIE, path="/dashboard")
        return response

    @router.get("/dashboard/api/summary")
    def summary(request: Request, hours: Annotated[str, Query(
            max_length=8, description="the window, 1 to 8784 hours")] = "168") -> JSONResponse:
        if not authorised(request):  # before anything else is said about the request
            return JSONResponse(NOT_AUTHORISED, status_code=401,
                                headers={"www-authenticate": "Bearer"})
        window = whole_number(hours)
        if window is None or not 1 <= window <= 24 * 366:
            return JSONResponse({"error": f"hours={hours!r} is not a window the dashboard "
                                 "shows.", "hint": "Use a whole number of hours from 1 to "
                                 "8784."}, status_code=422)
        data = twin.reports.dashboard(window * 3600)
        data["owner"] = twin.persona.name
        return JSONResponse(data, headers={"cache-control": "no-store"})

    return router
