from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form

from . import throttle
from .models import User


class LoginForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "dir": "ltr", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "dir": "ltr"}),
    )

    def __init__(self, *args: object, request: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        ip = throttle.client_ip(self.request)
        if throttle.is_locked(username=str(username), ip=ip):
            # Checked before the password, so that guessing gains nothing while locked.
            raise forms.ValidationError(
                _(
                    "Too many failed attempts. Wait %(minutes)s minutes and try again, "
                    "or ask the system administrator to check your account."
                )
                % {"minutes": throttle.window_minutes_display()},
                code="locked",
            )
        user = authenticate(self.request, username=username, password=password)  # type: ignore[arg-type]
        if user is None:
            throttle.note_failure(username=str(username), ip=ip)
            raise forms.ValidationError(
                _("The username or password is wrong."), code="invalid_login"
            )
        self.user = user
        return data
