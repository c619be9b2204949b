"""Idle and absolute session timeouts (SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS).

Django's own expiry slides forward with every request, so an active session, or a stolen
cookie kept busy, would never end. This ends a signed-in session idle for too long, and any
session older than the absolute limit counted from the sign-in, whatever its activity.
"""

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from . import sessions
from .services import session_expire


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie there is nothing to end; reading the session anyway would
        # add "Vary: Cookie" and keep shared caches from the public portal's pages.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        session = request.session
        if SESSION_KEY in session:
            now = timezone.now().timestamp()
            reason = sessions.ended_because(session, now)
            if reason is not None:
                session_expire(request=request, reason=reason)
                refusal = _refusal(request, reason)
                if refusal is not None:
                    return refusal
            else:
                sessions.touch(session, now)
        return self.get_response(request)


def _refusal(request: HttpRequest, reason: str) -> HttpResponse | None:
    """What to answer instead of the page; None to go on (anonymous) with the request."""
    if request.path.startswith(reverse("api:api-root")):
        if "Authorization" in request.headers:
            return None  # the request carries its own credentials: the API checks those
        return JsonResponse(
            {"detail": sessions.ended_message(reason), "code": "session_expired"}, status=401
        )
    login = reverse("accounts:login")
    if HtmxDetails(request):
        # A fragment's own address is no page to come back to: the page it was loaded into is.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = current.path + (f"?{current.query}" if current.query else "")
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': back, 'ended': reason})}")
    back = request.get_full_path() if request.method == "GET" else ""
    query = {"next": back, "ended": reason} if back else {"ended": reason}
    return redirect(f"{login}?{urlencode(query)}")
