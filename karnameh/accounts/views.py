from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .permissions import grants, role_labels
from .services import user_log_in, user_log_out


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        user_log_in(request=request, user=form.user)
        return HttpResponseRedirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status
    )


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
