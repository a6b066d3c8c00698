"""Writes to the area master data. Every load is all-or-nothing."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from villages.models import Desa, Kecamatan, OperatorAssignment, UserPreference
from villages.roles import Role

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
CODE_PATTERNS = {
    "kabupaten": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
    "kelurahan": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}


class WilayahError(Exception):
    """A wilayah file that cannot be loaded; `problems` lists each bad line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WilayahError(
            [
                _("Baris %(line)d: berkas bukan UTF-8 (byte tidak sah pada posisi %(pos)d).")
                % {"line": line, "pos": exc.start}
            ]
        ) from None


def parse_wilayah(data: bytes, *, regency_code: str) -> tuple[dict, dict]:
    """Validate a wilayah CSV and return ({kec_code: name}, {desa_code: (name, kind, kec)}).

    Raises WilayahError naming every bad line; nothing is written here."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise WilayahError(
            [_("Baris 1: kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)}]
        )

    problems: list[str] = []
    seen: dict[str, int] = {}
    kecamatan: dict[str, str] = {}
    desa_rows: list[tuple[int, str, str, str, str]] = []
    kabupaten_seen = False
    for row in reader:
        line = reader.line_num
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        level = (row.get("level") or "").strip().lower()
        parent = (row.get("parent_code") or "").strip()
        ctx = {"line": line, "code": code}
        if level not in CODE_PATTERNS:
            problems.append(
                _("Baris %(line)d: tingkat '%(level)s' tidak dikenal.") % {**ctx, "level": level}
            )
            continue
        if not CODE_PATTERNS[level].match(code):
            problems.append(
                _("Baris %(line)d: kode '%(code)s' tidak sesuai format %(level)s.")
                % {**ctx, "level": level}
            )
            continue
        if not name:
            problems.append(_("Baris %(line)d: nama wilayah %(code)s kosong.") % ctx)
            continue
        if code in seen:
            problems.append(
                _("Baris %(line)d: kode %(code)s ganda (sudah ada di baris %(first)d).")
                % {**ctx, "first": seen[code]}
            )
            continue
        seen[code] = line
        if level == "kabupaten":
            if code != regency_code:
                problems.append(
                    _("Baris %(line)d: kode %(code)s bukan kabupaten ini (%(regency)s).")
                    % {**ctx, "regency": regency_code}
                )
            kabupaten_seen = True
            continue
        if not code.startswith(regency_code + "."):
            problems.append(
                _("Baris %(line)d: kode %(code)s berada di luar kabupaten %(regency)s.")
                % {**ctx, "regency": regency_code}
            )
            continue
        if parent != code.rsplit(".", 1)[0]:
            problems.append(
                _("Baris %(line)d: induk '%(parent)s' tidak cocok dengan kode %(code)s.")
                % {**ctx, "parent": parent}
            )
            continue
        if level == "kecamatan":
            kecamatan[code] = name
        else:
            desa_rows.append((line, code, name, level, parent))

    desa: dict[str, tuple[str, str, str]] = {}
    for line, code, name, level, parent in desa_rows:
        if parent not in kecamatan:
            problems.append(
                _("Baris %(line)d: kode induk %(parent)s tidak dikenal.")
                % {"line": line, "parent": parent}
            )
            continue
        desa[code] = (name, level, parent)
    if not problems and not kabupaten_seen and not kecamatan:
        problems.append(
            _("Baris 1: berkas tidak berisi wilayah kabupaten %(regency)s.")
            % {"regency": regency_code}
        )
    if problems:
        raise WilayahError(problems)
    return kecamatan, desa


def load_wilayah(*, data: bytes, regency_code: str | None = None) -> LoadResult:
    """Load a regency's kecamatan and desa from CSV bytes: idempotent, all-or-nothing.

    A renamed area is updated in place (the Kemendagri code is the key); an area
    that is in the database but not in the file is reported, never deleted, because
    claims may point at it."""
    regency_code = regency_code or settings.REGENCY_CODE
    kecamatan, desa = parse_wilayah(data, regency_code=regency_code)
    result = LoadResult()
    with transaction.atomic():
        existing_kec = {k.code: k for k in Kecamatan.objects.select_for_update()}
        for code, name in kecamatan.items():
            current = existing_kec.get(code)
            if current is None:
                Kecamatan.objects.create(code=code, name=name)
                result.created += 1
            elif current.name != name:
                current.name = name
                current.save(update_fields=["name"])
                result.updated += 1
            else:
                result.unchanged += 1
        existing_desa = {d.code: d for d in Desa.objects.select_for_update()}
        for code, (name, kind, kec_code) in desa.items():
            current = existing_desa.get(code)
            if current is None:
                Desa.objects.create(code=code, name=name, kind=kind, kecamatan_id=kec_code)
                result.created += 1
            elif (current.name, current.kind, current.kecamatan_id) != (name, kind, kec_code):
                current.name, current.kind, current.kecamatan_id = name, kind, kec_code
                current.save(update_fields=["name", "kind", "kecamatan"])
                result.updated += 1
            else:
                result.unchanged += 1
        result.not_in_file = sorted(
            (set(existing_kec) - set(kecamatan)) | (set(existing_desa) - set(desa))
        )
    return result


def assign_operator(*, user, desa: Desa) -> None:
    """Make `user` the operator of `desa` (replacing any earlier assignment)."""
    with transaction.atomic():
        OperatorAssignment.objects.update_or_create(user=user, defaults={"desa": desa})
        user.groups.add(Group.objects.get(name=Role.OPERATOR_DESA))


def set_user_language(*, user, language: str) -> None:
    """Remember the language a person chose in the footer, for every later login."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    with transaction.atomic():
        UserPreference.objects.update_or_create(user=user, defaults={"language": language})
