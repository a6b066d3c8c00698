"""Writes to the area master data. Every load is all-or-nothing."""

import csv
import gzip
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from villages import wilayah
from villages.models import (
    AreaChange,
    Desa,
    Kecamatan,
    OperatorAssignment,
    Regency,
    UserPreference,
)
from villages.roles import Role
from villages.selectors import current_regency, forget_regency

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
CODE_PATTERNS = {
    "kabupaten": re.compile(r"^\d{2}\.\d{2}$"),
    "kota": re.compile(r"^\d{2}\.\d{2}$"),
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


def parse_wilayah(
    data: bytes, *, regency_code: str, other_regencies: bool = False
) -> tuple[dict, dict]:
    """Validate a wilayah CSV and return ({kec_code: name}, {desa_code: (name, kind, kec)}).

    With `other_regencies`, rows of other regions (a national table) are passed over
    and the line numbers stay those of the whole file. Raises WilayahError naming every
    bad line; nothing is written here."""
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
        if other_regencies and code != regency_code and not code.startswith(regency_code + "."):
            continue
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
        if level in ("kabupaten", "kota"):
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
    regency_code = regency_code or current_regency().code
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


# --- the regency served ---------------------------------------------------------------

REGENCY_CODE_FORMAT = re.compile(r"^\d{2}\.\d{2}$")


class RegencyError(Exception):
    """A setup that is refused; the message says why, for the administrator."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class SetupResult:
    regency: Regency
    recorded: bool = False
    areas: LoadResult = field(default_factory=LoadResult)
    policy: object = None  # the BenefitPolicy created or named, None when one was there

    @property
    def changed(self) -> bool:
        return self.recorded or self.areas.changed or self.policy is not None


def regency_entry(code: str) -> wilayah.RegencyEntry:
    """The shipped table's kabupaten/kota for `code`, or RegencyError saying what is wrong."""
    code = (code or "").strip()
    if not REGENCY_CODE_FORMAT.match(code):
        raise RegencyError(
            _(
                "Kode '%(code)s' tidak sah. Tulis kode Kemendagri kabupaten/kota: dua angka "
                "provinsi, titik, dua angka kabupaten/kota (misalnya 33.74 untuk Kota Semarang)."
            )
            % {"code": code[:20]}
        )
    entry = wilayah.find_regency(code)
    if entry is None:
        raise RegencyError(
            _("Kode %(code)s tidak ada dalam tabel wilayah Kepmendagri 2025.") % {"code": code}
        )
    return entry


def _refusal(entry: wilayah.RegencyEntry) -> str | None:
    """Why this database cannot serve `entry`, or None. Run with the Regency row locked."""
    recorded = Regency.objects.select_for_update().first()
    if recorded is not None:
        if recorded.code == entry.code:
            return None
        return _(
            "Basis data ini sudah dipasang untuk %(name)s (%(code)s). Satu basis data hanya "
            "melayani satu kabupaten/kota; pasang %(new)s pada basis data baru."
        ) % {"name": recorded.name, "code": recorded.code, "new": entry.name}
    from santunan.models import Claim

    claims = Claim.objects.exclude(desa__code__startswith=entry.code + ".")
    if claims.exists():
        return _(
            "Basis data ini sudah berisi %(count)d klaim dari wilayah lain. Satu basis data "
            "hanya melayani satu kabupaten/kota; pasang %(new)s pada basis data baru."
        ) % {"count": claims.count(), "new": entry.name}
    other = Desa.objects.exclude(code__startswith=entry.code + ".").first()
    if other is not None:
        return _(
            "Basis data ini sudah berisi wilayah kabupaten/kota lain (%(code)s). Pasang "
            "%(new)s pada basis data baru."
        ) % {"code": other.code[:5], "new": entry.name}
    return None


def setup_regency(*, code: str, user=None) -> SetupResult:
    """Make this installation serve the regency `code` of the shipped table: load its
    kecamatan and desa/kelurahan, record it and give it its default policy. Running it
    again changes nothing; another regency on a database in use is refused."""
    entry = regency_entry(code)
    try:
        regency, recorded, areas, policy = _set_up(entry, user)
    except IntegrityError:
        # Two first setups at once: the areas' keys and the single Regency slot let
        # one through and roll the other back whole; running it again is harmless.
        raise RegencyError(
            _("Kabupaten/kota sedang dipasang oleh proses lain. Coba lagi sebentar lagi.")
        ) from None
    forget_regency()
    return SetupResult(regency=regency, recorded=recorded, areas=areas, policy=policy)


def _set_up(entry: wilayah.RegencyEntry, user) -> tuple[Regency, bool, LoadResult, object]:
    from santunan.services import create_default_policy

    with transaction.atomic():
        # A recorded regency is locked here, so setups after the first take turns.
        reason = _refusal(entry)
        if reason:
            raise RegencyError(reason)
        areas = load_wilayah(data=wilayah.regency_csv(entry.code), regency_code=entry.code)
        regency, recorded = Regency.objects.get_or_create(
            slot=1,
            defaults={
                "code": entry.code,
                "name": entry.name,
                "kind": entry.kind,
                "province_code": entry.province_code,
                "province_name": entry.province_name,
                "set_up_by": user if user is not None and user.is_authenticated else None,
            },
        )
        if regency.code != entry.code:
            raise RegencyError(
                _("Basis data ini sudah dipasang untuk %(name)s (%(code)s).")
                % {"name": regency.name, "code": regency.code}
            )
        policy = create_default_policy(regency_name=entry.name)
    return regency, recorded, areas, policy


# --- area changes after a new Kepmendagri table ----------------------------------------


@dataclass
class AreaChangeReport:
    """What a newer area table changes for the regency served, in the order applied."""

    changes: list[AreaChange] = field(default_factory=list)
    applied: bool = False

    def add(self, **values) -> None:
        self.changes.append(AreaChange(**values))

    def of(self, kind: str) -> list[AreaChange]:
        return [c for c in self.changes if c.kind == kind]


def _table_bytes(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            raise WilayahError([_("Berkas gzip rusak atau terpotong.")]) from None
    return data


def _used(desa: Desa) -> bool:
    """A village claims or an operator point at: it must stay, or they lose their place.
    Practice claims count here too (Claim.all_objects): they point at a desa like any
    claim, and a village deleted under one would fail on the database's PROTECT."""
    from santunan.models import Claim

    return Claim.all_objects.filter(desa=desa).exists() or desa.operators.exists()


def update_wilayah(
    *, data: bytes, source: str, user=None, dry_run: bool = False
) -> AreaChangeReport:
    """Apply a newer area table (national or the regency's own, CSV or .csv.gz) to the
    regency served: new areas added, renamed ones renamed in place (the code is the
    key, so every claim stays attached), areas the table no longer lists deleted when
    nothing uses them and marked inactive when claims or operators do. A removed code
    with a new code of the same name, or new codes in its kecamatan, is reported as
    its possible successor for the office to check (a split, merger or renumbering):
    claims are never moved by guesswork. Every change is recorded as an AreaChange."""
    regency_code = current_regency().code
    kecamatan, desa = parse_wilayah(
        _table_bytes(data), regency_code=regency_code, other_regencies=True
    )
    digest = hashlib.sha256(data).hexdigest()
    common = {"source": source[:200], "source_sha256": digest}
    report = AreaChangeReport()
    prefix = regency_code + "."
    with transaction.atomic():
        old_kec = {
            k.code: k for k in Kecamatan.objects.select_for_update().filter(code__startswith=prefix)
        }
        old_desa = {
            d.code: d for d in Desa.objects.select_for_update().filter(code__startswith=prefix)
        }
        for code, name in kecamatan.items():
            current = old_kec.get(code)
            if current is None:
                report.add(level="kecamatan", code=code, kind="added", new_name=name, **common)
            elif current.name != name:
                report.add(
                    level="kecamatan",
                    code=code,
                    kind="renamed",
                    old_name=current.name,
                    new_name=name,
                    **common,
                )
            if current is not None and not current.is_active:
                report.add(
                    level="kecamatan",
                    code=code,
                    kind="added",
                    new_name=name,
                    detail=_("aktif kembali"),
                    **common,
                )
        added_desa = []
        for code, (name, kind, _kec_code) in desa.items():
            current = old_desa.get(code)
            if current is None:
                added_desa.append(code)
                report.add(level=kind, code=code, kind="added", new_name=name, **common)
                continue
            if current.name != name:
                report.add(
                    level=kind,
                    code=code,
                    kind="renamed",
                    old_name=current.name,
                    new_name=name,
                    **common,
                )
            if not current.is_active:
                report.add(
                    level=kind,
                    code=code,
                    kind="added",
                    new_name=name,
                    detail=_("aktif kembali"),
                    **common,
                )
        gone_desa = [d for code, d in old_desa.items() if code not in desa and d.is_active]
        gone_names = {d.name.casefold() for d in gone_desa}
        # A new code that carries a removed village's name is that village renumbered,
        # not a piece of a neighbour's split.
        renumbered = {c for c in added_desa if desa[c][0].casefold() in gone_names}
        for old in gone_desa:
            used = _used(old)
            report.add(
                level=old.kind,
                code=old.code,
                kind="deactivated" if used else "deleted",
                old_name=old.name,
                detail=_("masih dipakai %(claims)d klaim dan %(ops)d operator; tetap tersimpan")
                % {"claims": old.claims.count(), "ops": old.operators.count()}
                if used
                else "",
                **common,
            )
            successors = [c for c in added_desa if desa[c][0].casefold() == old.name.casefold()]
            why = _("kode baru dengan nama sama (pemindahan atau penomoran ulang)")
            if not successors:
                successors = [
                    c for c in added_desa if desa[c][2] == old.kecamatan_id and c not in renumbered
                ]
                why = _("desa/kelurahan baru di kecamatan yang sama (pemekaran atau penggabungan)")
            for successor in successors:
                report.add(
                    level=old.kind,
                    code=old.code,
                    kind="successor",
                    old_name=old.name,
                    new_name=f"{successor} {desa[successor][0]}",
                    detail=why,
                    **common,
                )
        deleted = {c.code for c in report.of("deleted")}
        kept = {
            d.kecamatan_id
            for d in old_desa.values()
            if d.code not in desa and d.code not in deleted
        }
        gone_kec = [k for code, k in old_kec.items() if code not in kecamatan and k.is_active]
        for old in gone_kec:
            # A kecamatan stays while any village of it does (claims hold them).
            report.add(
                level="kecamatan",
                code=old.code,
                kind="deactivated" if old.code in kept else "deleted",
                old_name=old.name,
                detail=_("desa/kelurahan lamanya masih tersimpan") if old.code in kept else "",
                **common,
            )
        if dry_run:
            return report
        _apply_area_changes(kecamatan, desa, old_desa, gone_desa, gone_kec, report)
        for change in report.changes:
            change.applied_by = user if user is not None and user.is_authenticated else None
        AreaChange.objects.bulk_create(report.changes)
        report.applied = True
    return report


def _apply_area_changes(kecamatan, desa, old_desa, gone_desa, gone_kec, report) -> None:
    for code, name in kecamatan.items():
        Kecamatan.objects.update_or_create(code=code, defaults={"name": name, "is_active": True})
    for code, (name, kind, kec_code) in desa.items():
        current = old_desa.get(code)
        if current is None:
            Desa.objects.create(code=code, name=name, kind=kind, kecamatan_id=kec_code)
        elif (current.name, current.kind, current.is_active) != (name, kind, True):
            current.name, current.kind, current.is_active = name, kind, True
            current.save(update_fields=["name", "kind", "is_active"])
    deleted = {c.code for c in report.of("deleted")}
    for old in [*gone_desa, *gone_kec]:
        if old.code in deleted:
            old.delete()
        else:
            old.is_active = False
            old.save(update_fields=["is_active"])
