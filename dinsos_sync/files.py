"""Reading registry extracts: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252) and XLSX, streamed row by row, each row checked into a database tuple
or refused with a sentence naming the line. Nothing here writes to the database.

Speed matters (a million rows must load in well under a minute), so rows travel as
plain lists and tuples, and dates are parsed once per distinct text."""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dinsos_sync.values import (
    ALIVE,
    DECILES,
    DTKS,
    SIXTEEN,
    BadValue,
    Vocabulary,
    clean_number,
    parse_date,
    parse_decile,
    word,
)

# The default layouts (issue 4); a regency whose extract names its columns
# differently maps them with SOCIAL_REGISTRY_COLUMNS / POPULATION_REGISTRY_COLUMNS.
LAYOUTS = {
    "social": [
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "no_kk",
        "kode_desa",
        "alamat",
        "status_dtks",
        "desil",
        "tanggal_update",
    ],
    "population": [
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "no_kk",
        "kode_desa",
        "alamat",
        "status_hidup",
        "tanggal_meninggal",
    ],
}
REQUIRED = {
    "social": ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_desa"],
    "population": ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_desa", "status_hidup"],
}
# Database columns of RegistryPerson, in the order of the tuples `RowChecker` returns.
COLUMNS = [
    "nik",
    "name",
    "birth_date",
    "sex",
    "kk",
    "desa_code",
    "address",
    "dtks",
    "decile",
    "updated_on",
    "alive",
    "death_date",
]

# What Excel makes of a 16-digit number: 3,32501E+15 · 3.32501E+15 · 3325014501500010.0
EXCEL_NUMBER = re.compile(r"^\d[\d.,]*(?:[eE][+-]?\d+)?$")
DESA_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
DESA_PLAIN = re.compile(r"^\d{10}$")
# Digits 7–10 of a NIK that are a possible day (+40 for women) and month.
NIK_DAY_MONTH = frozenset(
    f"{day + offset:02d}{month:02d}"
    for offset in (0, 40)
    for day in range(1, 32)
    for month in range(1, 13)
)


# How many rows of each kind of warning the report names by line.
WARNING_EXAMPLES = 5


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong format, missing columns)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def column_mapping(source: str) -> dict[str, str]:
    """Our column name → the header used in this regency's files (lower case)."""
    custom = getattr(settings, "REGISTRY_COLUMNS", {}).get(source, {})
    return {name: custom.get(name, name).strip().lower() for name in LAYOUTS[source]}


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such; otherwise ask
    charset-normalizer, which tells Windows-1252 (what Excel on Windows writes) apart."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    encoding = best.encoding if best else "cp1252"
    # Latin-1 is what a detector says for Windows-1252 text without the 0x80–0x9F
    # characters; cp1252 decodes both the same and also reads curly quotes and €.
    return "cp1252" if encoding in {"latin_1", "iso8859_1", "iso8859_15"} else encoding


@dataclass
class Progress:
    done: int = 0
    total: int = 0


class RowSource:
    """The rows of a file as (line number, list of cell values), header checked."""

    def __init__(self, path: Path, source: str):
        self.path, self.source = Path(path), source
        self.progress = Progress(total=self.path.stat().st_size)
        self.mapping = column_mapping(source)
        self.indexes: list[int | None] = []
        self.unread_columns: list[str] = []
        self.missing_columns: list[str] = []

    def _map_header(self, header: list) -> None:
        header = [str(cell or "").strip().lower().lstrip("\ufeff") for cell in header]
        positions = {name: i for i, name in enumerate(header) if name}
        missing = [
            self.mapping[name]
            for name in REQUIRED[self.source]
            if self.mapping[name] not in positions
        ]
        if missing:
            raise FileProblem(
                _("Baris 1: kolom wajib tidak ada: %(cols)s. Kolom yang ada: %(found)s.")
                % {"cols": ", ".join(missing), "found": ", ".join(header)[:200]}
            )
        self.indexes = [positions.get(self.mapping[name]) for name in LAYOUTS[self.source]]
        # Said in the report: a column the file has that nothing reads (a partial
        # mapping once lost every death date silently), and one we read but the file lacks.
        read = set(self.mapping.values())
        self.unread_columns = [name for name in header if name and name not in read]
        self.missing_columns = [
            self.mapping[name]
            for name in LAYOUTS[self.source]
            if self.mapping[name] not in positions
        ]

    def rows(self) -> Iterator[tuple[int, list]]:
        with self.path.open("rb") as head:
            signature = head.read(4)
        if signature == b"PK\x03\x04":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _arrange(self, cells: list) -> list:
        width = len(cells)
        return [cells[i] if i is not None and i < width else "" for i in self.indexes]

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        with self.path.open("rb") as raw:
            sample = raw.read(256 * 1024)
            encoding = detect_encoding(sample)
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            first = text.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            header = next(csv.reader([first], delimiter=delimiter), [])
            self._map_header(header)
            reader = csv.reader(text, delimiter=delimiter)
            arrange, progress = self._arrange, self.progress
            # A file in the default layout needs no rearranging of its cells.
            width = len(self.indexes)
            in_order = self.indexes == list(range(width))
            line = 1
            try:
                for count, cells in enumerate(reader, 1):
                    line = reader.line_num + 1  # +1: the header was read apart
                    if not cells or not any(cells):
                        continue
                    if count % 4096 == 0:
                        progress.done = raw.tell()
                    yield line, cells if in_order and len(cells) == width else arrange(cells)
            except UnicodeDecodeError:
                raise FileProblem(
                    _(
                        "Sekitar baris %(line)d: huruf tidak dapat dibaca sebagai "
                        "%(encoding)s. Simpan berkas sebagai CSV UTF-8."
                    )
                    % {"line": line, "encoding": encoding}
                ) from None
            except csv.Error as exc:
                raise FileProblem(
                    _("Baris %(line)d: format CSV rusak (%(error)s).")
                    % {"line": line, "error": exc}
                ) from None
            progress.done = progress.total

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged workbook
            raise FileProblem(
                _("Berkas XLSX tidak dapat dibuka; simpan ulang dari Excel.")
            ) from None
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            self._map_header(list(next(rows, ()) or ()))
            self.progress = Progress(total=sheet.max_row or 0)
            arrange, progress = self._arrange, self.progress
            for line, cells in enumerate(rows, 2):
                if not cells or all(cell is None or cell == "" for cell in cells):
                    continue
                if line % 1024 == 0:
                    progress.done = line
                yield line, arrange(list(cells))
            progress.done = progress.total
        finally:
            workbook.close()


class RowChecker:
    """Turns cell values into a RegistryPerson tuple (see COLUMNS) or a reason."""

    def __init__(
        self,
        source: str,
        *,
        known_desa: set[str],
        regency_code: str,
        today: date | None = None,
        prefix: tuple = (),
        vocabulary: Vocabulary | None = None,
    ):
        """`prefix` is put in front of every accepted row (the import passes the
        snapshot id, so the tuple goes to the database as it is); `vocabulary` holds
        the status words, the regency's mapped ones included."""
        self.source = source
        vocabulary = vocabulary or Vocabulary.builtin(source)
        self.sexes = vocabulary.table("jenis_kelamin")
        self.dtks_words = vocabulary.table("status_dtks") if source == "social" else DTKS
        self.alive_words = vocabulary.table("status_hidup") if source == "population" else ALIVE
        self.prefix = prefix
        self.known_desa = known_desa
        self.regency_prefix = regency_code + "."
        self.today = today or timezone.localdate()
        self.seen: dict[int, int] = {}
        # Rows kept with a secondary field emptied, grouped by what was wrong: sentence →
        # [rows, first lines]. One unmapped word can touch every row of a file, so the
        # report counts them instead of listing each (refused rows are listed in full).
        self.warning_groups: dict[str, list] = {}
        self.rows_warned = 0
        # The example rows of each group as (line, why), drained by the import.
        self.warnings: list[tuple[int, str]] = []
        # (column, word) → rows: the words no table knows, for the value-mapping page.
        self.unknown: Counter = Counter()
        # Status cells already found unknown → their word, so the next row with the same
        # cell stays on the quick path of `check` instead of the long one.
        self._odd_status: dict[str, str] = {}
        self._dates: dict[str, date | None] = {}
        self._desa: dict[str, tuple[str, str | None]] = {}
        # Translated once: gettext per row would cost more than the rest of the check.
        self.labels = {
            "nik": _("NIK"),
            "kk": _("Nomor KK"),
            "birth": _("Tanggal lahir"),
            "death": _("Tanggal meninggal"),
            "updated": _("Tanggal pembaruan"),
            "dtks": _("Status DTKS"),
            "decile": _("Desil"),
        }
        self._kept_sentence = _("%(problem)s Baris tetap dimuat tanpa %(field)s.")
        self._unknown_dtks = self._kept(
            _("Status DTKS tidak dikenal (YA atau TIDAK)."), self.labels["dtks"]
        )

    # --- single values -----------------------------------------------------------------

    def number(self, value, label: str, *, is_nik: bool = True) -> tuple[str, str | None]:
        """A 16-digit NIK or KK, refusing what a spreadsheet did to it."""
        if type(value) is str and len(value) == 16 and value.isascii() and value.isdigit():
            text = value  # the common case, kept short: it runs twice per row
        else:
            text, problem = self._unusual_number(value, label)
            if problem:
                return "", problem
        if text.endswith("0000"):
            return "", _(
                "%(label)s berakhir 0000 (nomor urut tidak sah), kemungkinan dipotong Excel "
                "menjadi 15 digit; isi kolom sebagai teks."
            ) % {"label": label}
        if is_nik and not _nik_date_possible(text):
            return "", _(
                "%(label)s tidak sah: bagian tanggal lahir (digit 7–12) bukan tanggal yang ada."
            ) % {"label": label}
        return text, None

    def _unusual_number(self, value, label: str) -> tuple[str, str | None]:
        if isinstance(value, bool) or value is None:
            value = ""
        if isinstance(value, float | int):
            # A number cell: Excel keeps 15 significant digits, so a 16th digit of 0
            # is almost always a lost digit, not the real one.
            if isinstance(value, float) and not value.is_integer():
                return "", _(
                    "%(label)s tersimpan sebagai angka pecahan oleh Excel; isi kolom sebagai teks."
                ) % {"label": label}
            value = str(int(value))
            if len(value) == 16 and value[-1] == "0":
                return "", _(
                    "%(label)s tersimpan sebagai angka oleh Excel sehingga digit ke-16 hilang; "
                    "isi kolom sebagai teks."
                ) % {"label": label}
        text = clean_number(value)
        if SIXTEEN.match(text):
            return text, None
        if EXCEL_NUMBER.match(text) and ("E" in text.upper() or "," in text or "." in text):
            return "", _(
                "%(label)s rusak oleh Excel (misalnya 3,32501E+15); isi kolom sebagai teks "
                "dan ekspor ulang."
            ) % {"label": label}
        return "", _("%(label)s harus 16 angka.") % {"label": label}

    def date(self, value, label: str, *, required: bool) -> tuple[date | None, str | None]:
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        text = str(value or "").strip()
        if not text:
            return None, (_("%(label)s kosong.") % {"label": label}) if required else None
        try:
            parsed = self._dates[text]
        except KeyError:
            parsed = self._dates[text] = parse_date(text)
        if parsed is None:
            return None, _(
                "%(label)s tidak sah (gunakan 31-12-1950, 31/12/1950 atau 1950-12-31)."
            ) % {"label": label}
        return parsed, None

    def desa(self, value) -> tuple[str, str | None]:
        key = str(value or "")
        try:
            return self._desa[key]
        except KeyError:
            result = self._desa[key] = self._check_desa(key.strip())
            return result

    def _check_desa(self, text: str) -> tuple[str, str | None]:
        if DESA_PLAIN.match(text):
            text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
        if not DESA_DOTTED.match(text):
            return "", _("Kode desa tidak dikenal (format 33.25.01.2001).")
        # A person registered outside the regency is kept (the cross-check reports it);
        # a code inside it must be one of its villages.
        if text.startswith(self.regency_prefix) and text not in self.known_desa:
            return "", _("Kode desa tidak dikenal di kabupaten ini.")
        return text, None

    def _warn(self, line: int, messages: list[str]) -> None:
        """Count a kept row's warnings in their groups; the first few of each group are
        kept as examples with their line."""
        self.rows_warned += 1
        for message in messages:
            group = self.warning_groups.get(message)
            if group is None:
                group = self.warning_groups[message] = [0, []]
            group[0] += 1
            if len(group[1]) < WARNING_EXAMPLES:
                group[1].append(line)
                self.warnings.append((line, message))

    def _unknown(self, column: str, value) -> None:
        text = word(value)
        if text:
            self.unknown[(column, text[:100])] += 1

    def _kept(self, problem: str, field: str) -> str:
        return self._kept_sentence % {"problem": problem, "field": field.lower()}

    # --- a row -------------------------------------------------------------------------

    def check(self, line: int, cells: list) -> tuple | str:
        """The row as a tuple for the database, or why it is refused.

        The common row — text cells, a plain 16-digit NIK, dates, codes and statuses
        already seen in this file — is accepted here with dictionary look-ups only;
        anything else goes to `check_fully`, which gives the same answer the long way
        and explains a refusal."""
        try:
            nik, name, born, sex, kk, desa, address, status, col8 = cells[:9]
            if not (
                len(nik) == 16
                and nik.isdigit()
                and nik.isascii()
                and nik[6:10] in NIK_DAY_MONTH
                and nik[12:] != "0000"
            ):
                raise LookupError
            key = int(nik)
            name = name.strip()
            if key in self.seen or not name:
                raise LookupError
            birth = self._dates[born]
            sex = self.sexes[sex]
            if kk and not (len(kk) == 16 and kk.isdigit() and kk.isascii() and kk[12:] != "0000"):
                raise LookupError
            desa, problem = self._desa[desa]
            if problem or birth is None or birth > self.today:
                raise LookupError
            address = address.strip()[:250]
            odd = None
            if self.source == "social":
                if status in self.dtks_words:
                    dtks = self.dtks_words[status]
                else:
                    # An unmapped word seen before: kept with a warning, still quickly.
                    odd, dtks = self._odd_status[status], None
                decile, alive, death = DECILES[col8], None, None
                col9 = cells[9]
                updated = self._dates[col9] if col9 else None
                if col9 and updated is None:
                    raise LookupError
            else:
                alive, dtks, decile, updated = self.alive_words[status], None, None, None
                death = self._dates[col8] if col8 else None
                if col8 and (death is None or alive or death < birth or death > self.today):
                    raise LookupError
        except (LookupError, ValueError, TypeError, AttributeError):
            return self.check_fully(line, cells)
        if odd is not None:
            self.unknown[("status_dtks", odd)] += 1
            self._warn(line, [self._unknown_dtks])
        self.seen[key] = line
        return (
            *self.prefix,
            nik,
            name[:150],
            birth,
            sex,
            kk,
            desa,
            address,
            dtks,
            decile,
            updated,
            alive,
            death,
        )

    def check_fully(self, line: int, cells: list) -> tuple | str:
        """`check` for any row, explaining a refusal; it also fills the caches of dates
        and desa codes that let `check` take the next such row quickly."""
        labels = self.labels
        nik, problem = self.number(cells[0], labels["nik"])
        if problem:
            return problem
        key = int(nik)
        first = self.seen.get(key)
        if first is not None:
            return _("NIK sama dengan baris %(first)d.") % {"first": first}
        name = str(cells[1] or "").strip()
        if not name:
            return _("Nama kosong.")
        birth, problem = self.date(cells[2], labels["birth"], required=True)
        if problem:
            return problem
        if birth > self.today:
            return _("Tanggal lahir di masa depan.")
        sex = self.sexes.get(word(cells[3]))
        if sex is None:
            self._unknown("jenis_kelamin", cells[3])
            return _("Jenis kelamin harus L atau P.")
        # A secondary field that cannot be read is left empty with a warning: the NIK is
        # what identifies the person, so a bad KK or decile must not drop them.
        kept: list[tuple[int, str]] = []
        warn = kept.append
        kk = ""
        if cells[4] not in (None, ""):
            kk, problem = self.number(cells[4], labels["kk"], is_nik=False)
            if problem:
                warn((line, self._kept(problem, labels["kk"])))
        desa, problem = self.desa(cells[5])
        if problem:
            return problem
        address = str(cells[6] or "").strip()[:250]
        dtks = decile = updated = alive = death = None
        if self.source == "social":
            status = word(cells[7])
            if status in self.dtks_words:
                dtks = self.dtks_words[status]
            else:
                self._unknown("status_dtks", status)
                if type(cells[7]) is str and status:
                    self._odd_status[cells[7]] = status[:100]
                warn((line, self._unknown_dtks))
            try:
                decile = parse_decile(cells[8])
            except BadValue:
                self._unknown("desil", cells[8])
                warn((line, self._kept(_("Desil harus angka 1–10 atau kosong."), labels["decile"])))
            updated, problem = self.date(cells[9], labels["updated"], required=False)
            if problem:
                warn((line, self._kept(problem, labels["updated"])))
        else:
            status = word(cells[7])
            if status not in self.alive_words:
                self._unknown("status_hidup", status)
                return _("Status hidup tidak dikenal (HIDUP atau MENINGGAL).")
            alive = self.alive_words[status]
            death, problem = self.date(cells[8], labels["death"], required=False)
            if problem:
                warn((line, self._kept(problem, labels["death"])))
            elif death and alive:
                death = None
                warn(
                    (
                        line,
                        self._kept(
                            _("Tanggal meninggal diisi padahal status HIDUP."), labels["death"]
                        ),
                    )
                )
            elif death and (death < birth or death > self.today):
                death = None
                warn(
                    (
                        line,
                        self._kept(
                            _("Tanggal meninggal sebelum tanggal lahir atau di masa depan."),
                            labels["death"],
                        ),
                    )
                )
        if kept:
            self._warn(line, [message for _line, message in kept])
        self.seen[key] = line
        return (
            *self.prefix,
            nik,
            name[:150],
            birth,
            sex,
            kk,
            desa,
            address,
            dtks,
            decile,
            updated,
            alive,
            death,
        )


def _nik_date_possible(nik: str) -> bool:
    # The registry issued these numbers, so only an impossible day or month is refused;
    # a date that disagrees with the person's birth date is the cross-check's business.
    day, month = int(nik[6:8]), int(nik[8:10])
    return 1 <= month <= 12 and (1 <= day <= 31 or 41 <= day <= 71)


def unknown_values(path: Path, source: str, vocabulary: Vocabulary, *, limit: int = 50) -> list:
    """The words of the mappable columns (status, sex) that `vocabulary` does not know,
    with how many rows use each, most used first: what the upload page asks the
    administrator to map before a whole file is refused for a regency's own word."""
    from dinsos_sync.values import MAPPABLE_BY_SOURCE

    reader = RowSource(path, source)
    layout = LAYOUTS[source]
    columns = [(column, layout.index(column)) for column in MAPPABLE_BY_SOURCE[source]]
    counts: Counter = Counter()
    for _line, cells in reader.rows():
        for column, index in columns:
            value = cells[index]
            if type(value) is not str or value not in vocabulary.words[column]:
                counts[(column, word(value))] += 1
    found = [
        {"column": column, "value": value[:100], "count": count}
        for (column, value), count in counts.most_common()
        # An empty required cell is a missing value, not a word to map.
        if value and value not in vocabulary.words[column]
    ]
    return found[:limit]
