from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from karnameh.common.errors import DomainError

from . import sessions, throttle
from .forms import CodeForm, LoginForm
from .models import User
from .permissions import grants, role_labels
from .services import PENDING_TWO_STEP, user_log_in, user_log_out
from .services_totp import active_device, user_log_in_with_code

# How long a right password waits for its one-time code.
PENDING_SECONDS = 5 * 60


def _next_url(request: HttpRequest, target: str | None = None) -> str:
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _signed_in(request: HttpRequest, user: User, target: str) -> HttpResponse:
    response = HttpResponseRedirect(target)
    throttle.trust_browser(request, response, user.get_username())
    return response


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid() and form.user and form.attempt:
        target = _next_url(request)
        if active_device(form.user) is None:
            user_log_in(request=request, user=form.user, attempt=form.attempt)
            return _signed_in(request, form.user, target)
        # The password was right, but nobody is signed in until the code is too. A new key,
        # so that a session id planted in the browser learns nothing of this half-way state.
        request.session.cycle_key()
        request.session[PENDING_TWO_STEP] = {
            "user": form.user.pk,
            "at": timezone.now().timestamp(),
            "next": target,
        }
        return redirect("accounts:login-code")
    ended = request.GET.get("ended", "")
    notice = sessions.ended_message(ended) if ended in (sessions.IDLE, sessions.ABSOLUTE) else ""
    context = {"form": form, "next": _next_url(request), "ended": notice}
    return render(
        request, "accounts/login.html", context, status=400 if request.method == "POST" else 200
    )


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    pending = request.session.get(PENDING_TWO_STEP)
    if not isinstance(pending, dict):
        return None, ""
    if timezone.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_TWO_STEP, None)
        return None, ""
    user = User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
    return user, str(pending.get("next", ""))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code_view(request: HttpRequest) -> HttpResponse:
    """The second sign-in step, for those with two-step sign-in on."""
    user, target = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = throttle.attempt_of(request, user.get_username())
        try:
            throttle.guarded(
                attempt,
                lambda: user_log_in_with_code(
                    request=request, user=user, code=form.cleaned_data["code"], attempt=attempt
                ),
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return _signed_in(request, user, _next_url(request, target))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_log_out(request=request)
    return redirect("accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"roles": list(role_labels(request.user)), "has_roles": bool(grants(request.user))},  # type: ignore[arg-type]
    )
