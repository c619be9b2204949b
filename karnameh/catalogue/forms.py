"""Forms of the catalogue pages: import, copy, freeze, delete, gauge edit and diff."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from karnameh.agencies.models import Province
from karnameh.common.forms import Form, style_widgets
from karnameh.common.text import persian_digits
from karnameh.scoring import CatalogueError
from karnameh.scoring import Gauge as EngineGauge
from karnameh.scoring.dump import dump_data, gauge_to_data
from karnameh.scoring.loader import CATALOGUE_CODE, read_yaml
from karnameh.scoring.model import STAR
from karnameh.scoring.numbers import to_decimal

from .models import Catalogue
from .services import MAX_FILE_BYTES

YAML_SUFFIXES = (".yaml", ".yml")


def _reason(*, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written in the audit log with the change."),
    )


def _province_field(provinces: QuerySet[Province], *, may_share: bool) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        queryset=provinces,
        label=_("Province"),
        required=not may_share,
        empty_label=_("Shared by every province") if may_share else None,
        help_text=_("A province's catalogue is seen by that province only."),
    )
    if not may_share and provinces.count() == 1:
        field.initial = provinces.first()
    return field


class ImportForm(Form):
    file = forms.FileField(
        label=_("Catalogue file (.yaml)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )
    text = forms.CharField(
        label=_("Or paste the catalogue's text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "ltr", "spellcheck": "false"}),
    )

    def __init__(
        self,
        *args: Any,
        provinces: QuerySet[Province] | None = None,
        may_share: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The pasted catalogue is taken exactly as typed: normalising its letters, digits and
        # spaces would change its codes, expressions and layout.
        self.fields["text"].keep_as_typed = True  # type: ignore[attr-defined]
        if provinces is not None:
            self.fields["province"] = _province_field(provinces, may_share=may_share)
        self.fields["reason"] = _reason()
        style_widgets(self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), data.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste the text, not both."))
        if not upload and not text.strip():
            raise forms.ValidationError(_("Upload a catalogue file or paste its text."))
        if upload:
            if not upload.name.lower().endswith(YAML_SUFFIXES):
                self.add_error("file", _("The catalogue file must be a .yaml or .yml file."))
            elif upload.size > MAX_FILE_BYTES:
                self.add_error(
                    "file",
                    _("The file is larger than %(limit)s MB.")
                    % {"limit": persian_digits(MAX_FILE_BYTES // (1024 * 1024))},
                )
            else:
                data["content"] = upload.read()
                data["name"] = upload.name
        else:
            data["content"] = text
            data["name"] = "catalogue"
        return data


class CopyForm(Form):
    code = forms.SlugField(
        label=_("Code of the new catalogue"),
        max_length=80,
        help_text=_("Lower-case Latin letters, digits and “-”, e.g. provincial-1398-general."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    year = forms.IntegerField(label=_("Year"), min_value=1300, max_value=1500)
    title = forms.CharField(label=_("Title"), max_length=500)

    def __init__(
        self, *args: Any, provinces: QuerySet[Province], may_share: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].ascii_digits = True  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})
        self.fields["province"] = _province_field(provinces, may_share=may_share)
        self.fields["reason"] = _reason()
        style_widgets(self.fields)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not CATALOGUE_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("The code may hold only lower-case Latin letters, digits and “-”.")
            )
        # Codes that are reserved or taken are refused by the service (catalogue_copy), the one
        # place that decides it; the page shows its message.
        return code


class ReasonForm(Form):
    """Freeze and delete: a confirmation page with the reason for the audit log."""

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason(required=required)
        style_widgets(self.fields)


class CatalogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return persian_digits(f"{obj.title} ({obj.code})")


class DiffForm(Form):
    old = CatalogueChoiceField(
        queryset=Catalogue.objects.none(), label=_("Old catalogue"), to_field_name="code"
    )
    new = CatalogueChoiceField(
        queryset=Catalogue.objects.none(), label=_("New catalogue"), to_field_name="code"
    )

    def __init__(self, *args: Any, catalogues: QuerySet[Catalogue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = catalogues


# --- Gauge edit ----------------------------------------------------------------------------

DEFINITION_KEYS = ("fields", "tables", "rule")


def gauge_definition(gauge: EngineGauge) -> str:
    """The YAML snippet of a gauge's fields, tables and rule, as the catalogue file writes it."""
    written = gauge_to_data(gauge)
    return dump_data({key: written[key] for key in DEFINITION_KEYS if key in written})


def _number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


class GaugeEditForm(Form):
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))
    max_score = forms.DecimalField(
        label=_("Max score"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
        help_text=_("The gauges of an indicator must add up to its max score."),
    )
    method = forms.CharField(
        label=_("Method"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        help_text=_("A number, “*” when the MoU sets it, or empty to use the indicator's."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    assessor = forms.CharField(
        label=_("Assessing body (code)"),
        required=False,
        help_text=_("Empty when the indicator's assessing body or the evaluators score it."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    measure = forms.CharField(
        label=_("Measure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    allow_not_applicable = forms.BooleanField(
        label=_("This gauge alone may be answered “not applicable”"), required=False
    )
    definition = forms.CharField(
        label=_("Fields, data tables and rule (YAML)"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "ltr", "spellcheck": "false"}),
        help_text=_(
            "As the catalogue file writes them: the keys fields, tables and rule "
            "(docs/catalogue-format.md)."
        ),
    )

    def __init__(self, *args: Any, gauge: EngineGauge, **kwargs: Any) -> None:
        written = gauge_to_data(gauge)
        target = written.get("target")
        initial = {
            "title": gauge.title,
            "max_score": _number_text(gauge.max_score),
            "method": gauge.method,
            "target": target if target == STAR else _number_text(gauge.target),  # type: ignore[arg-type]
            "assessor": gauge.assessor or "",
            "measure": gauge.measure,
            "evidence": gauge.evidence,
            "note": gauge.note,
            "allow_not_applicable": gauge.allow_not_applicable,
            "definition": gauge_definition(gauge),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["target"].ascii_digits = True  # type: ignore[attr-defined]
        self.fields["assessor"].ascii_digits = True  # type: ignore[attr-defined]
        # Expressions and codes are taken exactly as typed (see ImportForm).
        self.fields["definition"].keep_as_typed = True  # type: ignore[attr-defined]
        self.fields["reason"] = _reason()
        style_widgets(self.fields)
        self.problems: list[Any] = []

    def clean_definition(self) -> str:
        text: str = self.cleaned_data["definition"]
        self._check_definition(text)
        return text

    def clean_target(self) -> Decimal | str | None:
        text = (self.cleaned_data.get("target") or "").strip()
        if not text:
            return None
        if text == STAR:
            return STAR
        number = to_decimal(text)
        if number is None or number < 0:
            raise forms.ValidationError(
                _("The target must be a number that is not negative, or “*”.")
            )
        return number

    def _check_definition(self, text: str) -> None:
        try:
            parsed = read_yaml(text, "definition")
        except CatalogueError as error:
            self.problems = error.problems
            raise forms.ValidationError(
                _("The YAML cannot be read; see the problems below.")
            ) from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError(
                _("The YAML must be a mapping with the keys fields, tables and rule.")
            )
        unknown = sorted(set(map(str, parsed)) - set(DEFINITION_KEYS))
        if unknown:
            raise forms.ValidationError(
                _("Unknown keys: %(keys)s. Only fields, tables and rule belong here.")
                % {"keys": "، ".join(unknown)}
            )
        self.parsed: dict[str, Any] = dict(parsed)

    def gauge_data(self) -> dict[str, Any]:
        """The gauge's keys as the file writes them, for ``services.gauge_update``."""
        data = self.cleaned_data
        gauge: dict[str, Any] = {
            "title": data["title"],
            "max_score": data["max_score"],
            "method": data["method"],
        }
        for key in ("target", "assessor", "measure", "evidence", "note"):
            if data.get(key):
                gauge[key] = data[key]
        if data.get("allow_not_applicable"):
            gauge["allow_not_applicable"] = True
        gauge.update(self.parsed)
        return gauge
