import hashlib
import zipfile

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dinsos_sync.models import Source
from santunan.fields import DateField, FileChooser
from santunan.limits import validate_recent_date

# Enough of a CSV to tell text from a program: the header and the first rows.
SNIFF_BYTES = 64 * 1024


def registry_file_problem(upload) -> str | None:
    """Whether the upload is a CSV or an XLSX by its content, whatever its name says
    (an .exe renamed .csv must not reach the import queue)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head:
        return _("Berkas kosong.")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return None
        return _("Berkas ZIP ini bukan lembar kerja XLSX.")
    # A text file has no NUL bytes (programs, images and office documents do) and
    # reads as UTF-8 or as the Windows code page registries export with.
    if b"\x00" in head:
        return _("Berkas ini bukan CSV atau XLSX (isinya bukan teks).")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return _("Berkas ini bukan CSV atau XLSX (isinya bukan teks).")
    first_line = head.split(b"\n", 1)[0]
    if not any(sep in first_line for sep in (b",", b";", b"\t", b"|")):
        return _("Baris pertama berkas tidak berisi kolom yang dipisah koma atau titik koma.")
    return None


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Sumber data"), choices=Source.choices)
    received_on = DateField(
        label=_("Tanggal data diterima"),
        required=False,
        help_text=_("Kosongkan bila hari ini."),
        validators=[validate_recent_date],
    )
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        widget=FileChooser(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MAX_REGISTRY_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar; paling besar %(max)d MB.") % {"max": limit // 1048576}
            )
        if problem := registry_file_problem(upload):
            raise forms.ValidationError(problem)
        return upload


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
    (a DTKS status is then loaded empty with a warning; an unknown sex or alive status
    still refuses its row)."""

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


class UnknownWordsForm(forms.Form):
    """The value-mapping page: one choice per mappable word met in files or API answers.
    Fields are named after the word, not its place in the list, so a word that arrives
    between showing the page and sending it cannot shift the choices onto other words."""

    def __init__(self, words: list, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_words, self.words = words, {}
        for item in words:
            if not item.mappable:
                continue
            key = (
                "word_"
                + hashlib.sha256(
                    f"{item.source}\x00{item.column}\x00{item.value}".encode()
                ).hexdigest()[:16]
            )
            self.words[key] = item
            choices = [(LEAVE, _("biarkan tidak dikenal"))]
            choices += [
                (meaning or "~", label) for meaning, label in MEANING_LABELS[item.column].items()
            ]
            self.fields[key] = forms.ChoiceField(
                label=_("%(source)s · %(column)s “%(value)s”")
                % {
                    "source": Source(item.source).label,
                    "column": COLUMN_LABELS[item.column],
                    "value": item.value,
                },
                choices=choices,
                initial=LEAVE,
                required=False,
            )

    def rows(self) -> list[tuple]:
        """Every word with its choice (None for a word no meaning can fix, a decile)."""
        keys = {id(item): key for key, item in self.words.items()}
        return [
            (item, self[keys[id(item)]] if id(item) in keys else None) for item in self.all_words
        ]

    def meanings(self) -> dict[tuple[str, str, str], str | None]:
        result = {}
        for key, item in self.words.items():
            chosen = self.cleaned_data.get(key) or LEAVE
            meaning = None if chosen == LEAVE else ("" if chosen == "~" else chosen)
            result[(item.source, item.column, item.value)] = meaning
        return result
