from django import forms
from django.utils.translation import gettext_lazy as _

from dinsos_sync.models import Source


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Sumber data"), choices=Source.choices)
    received_on = forms.DateField(
        label=_("Tanggal data diterima"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan bila hari ini."),
    )
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


MEANING_LABELS = {
    "status_dtks": {
        "YA": _("YA (terdaftar DTKS)"),
        "TIDAK": _("TIDAK (bukan DTKS)"),
        "": _("kosong (tidak diketahui)"),
    },
    "status_hidup": {"HIDUP": _("HIDUP"), "MENINGGAL": _("MENINGGAL")},
    "jenis_kelamin": {"L": _("L (laki-laki)"), "P": _("P (perempuan)")},
}
COLUMN_LABELS = {
    "status_dtks": _("Status DTKS"),
    "status_hidup": _("Status hidup"),
    "jenis_kelamin": _("Jenis kelamin"),
}
LEAVE = "-"


class ValueMappingForm(forms.Form):
    """One choice per unknown word of a previewed upload: what it means, or leave it
    (its rows are then refused as before)."""

    def __init__(self, unknown: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown = unknown
        for index, item in enumerate(unknown):
            column = item["column"]
            choices = [(LEAVE, _("biarkan tidak dikenal"))]
            choices += [
                (meaning or "~", label) for meaning, label in MEANING_LABELS[column].items()
            ]
            self.fields[f"value_{index}"] = forms.ChoiceField(
                label=_("%(column)s “%(value)s” (%(count)s baris)")
                % {"column": COLUMN_LABELS[column], "value": item["value"], "count": item["count"]},
                choices=choices,
                initial=LEAVE,
            )

    def meanings(self) -> dict[tuple[str, str], str | None]:
        result = {}
        for index, item in enumerate(self.unknown):
            chosen = self.cleaned_data[f"value_{index}"]
            meaning = None if chosen == LEAVE else ("" if chosen == "~" else chosen)
            result[(item["column"], item["value"])] = meaning
        return result
