"""Nothing one person may see is kept by a browser or a proxy for the next person.

Every response is ``no-store`` unless its view chose its own caching and nobody is signed in:
the public portal's pages say ``public, max-age=…`` and keep it for anonymous visitors. A
response to a signed-in user, a token-carrying API call, or one that sets the session or
CSRF cookie is never stored, whatever the view said; a view that already said ``no-store``
(file downloads, exports) is left as it is.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


def is_personal(request: HttpRequest) -> bool:
    """Whether the answer may hold what only this caller may see."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    # A session or CSRF cookie is about to be set: a shared cache would hand it to others.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Nobody can be signed in without the cookie; not loading the session here keeps the
        # portal free of a database query and of ``Vary: Cookie`` for anonymous visitors.
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """Last in ``MIDDLEWARE``: it sees the view's own ``Cache-Control`` and has the last word
    on it, before the session and CSRF middlewares add their cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        chosen = response.get("Cache-Control", "")
        if "no-store" in chosen:
            return response
        if chosen and not response.cookies and not is_personal(request):
            return response
        # max-age=0, no-cache, no-store, must-revalidate, private; ``public`` is dropped.
        add_never_cache_headers(response)
        return response
