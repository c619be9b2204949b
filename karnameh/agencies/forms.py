from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import grants, has_role
from karnameh.common.forms import ModelForm

from .models import Agency, AgencyKind, Province
from .services import EDITABLE_FIELDS


class AgencyForm(ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written in the audit log with the change."),
    )

    class Meta:
        model = Agency
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].ascii_digits = True  # type: ignore[attr-defined]
        self.fields["code"].widget.attrs["dir"] = "ltr"
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parents = Agency.objects.exclude(kind=AgencyKind.COUNTY_UNIT).order_by("name")
        parent_field.queryset = parents
        if not has_role(user, Role.ADMIN):
            # Staff register units in their own province only, under a national body or one
            # of their province's units: other provinces' units are not even listed.
            provinces = {g.province_id for g in grants(user) if g.role == Role.STAFF}
            parent_field.queryset = parents.filter(
                Q(province__isnull=True) | Q(province_id__in=provinces)
            )
            province_field = self.fields["province"]
            assert isinstance(province_field, forms.ModelChoiceField)
            province_field.queryset = Province.objects.filter(pk__in=provinces)
            self.fields["province"].required = True

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        # Said here with the code itself: Django's own message would not name it.
        if Agency.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used by another agency.") % {"code": code},
                code="unique",
            )
        return code

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
