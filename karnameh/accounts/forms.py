from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from karnameh.common.errors import DomainError
from karnameh.common.forms import Form, style_widgets
from karnameh.common.text import persian_digits

from . import throttle
from .models import User
from .services import user_authenticate


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

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None
        self.attempt: throttle.Attempt | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        self.attempt = throttle.attempt_of(self.request, str(username))
        try:
            self.user = throttle.guarded(
                self.attempt,
                lambda: user_authenticate(
                    request=self.request, username=str(username), password=str(password)
                ),
            )
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return data


def password_attrs(autocomplete: str) -> dict[str, str]:
    return {"autocomplete": autocomplete, "dir": "ltr"}


class CodeField(forms.CharField):
    """A one-time code: six digits from the app, or a recovery code (letters and digits)."""

    ascii_digits = True  # typed on a Persian keyboard, ۱۲۳۴۵۶ is 123456

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "autocomplete": "one-time-code",
            "dir": "ltr",
            "spellcheck": "false",
            "autocapitalize": "off",
        }
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault(
            "help_text",
            _("The six-digit code your authenticator app shows, or one of your recovery codes."),
        )
        super().__init__(max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs)


class CodeForm(Form):
    code = CodeField()


class TotpConfirmForm(Form):
    code = CodeField(help_text=_("The six-digit code your authenticator app shows now."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class TotpDisableForm(Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs=password_attrs("current-password")),
    )
    code = CodeField()


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (its labels and messages are translated into Persian by Django), with
    the current password checked through the login throttle: a borrowed session must not
    become a way to guess it."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        style_widgets(self.fields)
        for field in self.fields.values():
            field.widget.attrs["dir"] = "ltr"
        self.fields["old_password"].label = _("Current password")
        # Plain text with Persian digits instead of Django's list with ASCII ones.
        self.fields["new_password1"].help_text = persian_digits(
            " ".join(password_validation.password_validators_help_texts())
        )
        # Django's Persian for its own text here asks for the *previous* password.
        self.fields["new_password2"].help_text = _("Type the new password again, to be sure.")

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        attempt = throttle.attempt_of(self.request, self.user.get_username())

        def check() -> None:
            if not self.user.check_password(old):
                raise throttle.BadCredentials(str(self.error_messages["password_incorrect"]))

        try:
            throttle.guarded(attempt, check)
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return str(old)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The validators' messages carry numbers ("at least 8 characters"): Persian digits.
        for name, errors in list(self.errors.items()):
            self.errors[name] = self.error_class(
                [persian_digits(e) for e in errors], renderer=self.renderer
            )
        return data
