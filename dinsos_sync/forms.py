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
