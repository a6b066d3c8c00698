"""Onboarding officials from one sheet (import_officials, and its page in the
administration): columns username, nama, peran, desa, no_hp.

The whole sheet is read and checked before anything is written; one bad line refuses
the whole file, and every bad line is named, so the office fixes the sheet once. The
sheet is the truth for the accounts it names: a rerun of the same sheet changes
nothing, a changed line updates that account (name, roles, desa, phone). Every new
account gets a one-time activation code (accounts/activation.py) instead of a
password: nobody at the office ever knows an official's password."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.activation import IssuedCode, issue_codes
from santunan.phones import to_e164
from santunan.spreadsheets import name_problem
from villages.models import Desa, OperatorAssignment, UserPreference
from villages.roles import Role
from villages.selectors import current_regency

COLUMNS = ("username", "nama", "peran", "desa", "no_hp")
MAX_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"


class OfficialsError(Exception):
    """A sheet refused as a whole; `problems` names each bad line, in Bahasa Indonesia."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Line:
    number: int  # as the spreadsheet numbers it: the header is line 1
    username: str
    name: str
    roles: frozenset[str]
    desa_code: str | None
    phone: str  # E.164, or "" when the sheet leaves it empty


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[IssuedCode] = field(default_factory=list)
    new_users: list = field(default_factory=list)
    messages_queued: int = 0

    def summary(self) -> str:
        return _("%(created)d dibuat, %(updated)d diubah, %(unchanged)d tetap.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- reading the sheet -------------------------------------------------------------------


def _cell_text(value) -> str:
    """A cell as text; a number Excel stored as a float (a phone typed as 812345…)
    without its '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) of each non-empty line of a CSV or XLSX sheet."""
    if data.startswith(XLSX_MAGIC):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    header = [cell.lower() for cell in next(rows, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise OfficialsError(
            [
                _("Baris 1: kolom %(missing)s tidak ada. Judul kolom harus: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ",".join(COLUMNS)}
            ]
        )
    lines = []
    for number, cells in enumerate(rows, 2):
        if not any(cells):
            continue
        values = dict(zip(header, cells, strict=False))
        lines.append((number, {column: values.get(column, "") for column in COLUMNS}))
        if len(lines) > MAX_ROWS:
            raise OfficialsError(
                [
                    _("Berkas lebih dari %(max)d baris; bagi menjadi beberapa berkas.")
                    % {"max": MAX_ROWS}
                ]
            )
    if not lines:
        raise OfficialsError([_("Berkas tidak berisi satu baris petugas pun.")])
    return lines


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OfficialsError(
            [
                _("Baris %(line)d: berkas bukan CSV UTF-8. Simpan sebagai CSV UTF-8.")
                % {"line": line}
            ]
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in cells]
    except csv.Error as exc:
        raise OfficialsError([_("Format CSV rusak: %(error)s.") % {"error": exc}]) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise OfficialsError(
            [_("Berkas XLSX tidak dapat dibuka; simpan ulang dari Excel.")]
        ) from None
    try:
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(cell) for cell in cells]
    finally:
        workbook.close()


# --- checking each line ----------------------------------------------------------------------


def _role_names() -> dict[str, str]:
    """Every way the sheet may name a role: its code and its Indonesian name, any case."""
    names = {}
    for role in Role:
        names[role.value.lower()] = role.value
        names[str(role.label).lower()] = role.value
    # The verifier's name without "Dinas Sosial", as the office says it.
    names["verifikator"] = Role.VERIFIKATOR.value
    return names


class DesaFinder:
    """A desa by its code or its exact name within the regency, from one query."""

    def __init__(self, regency_code: str):
        self.by_code: dict[str, Desa] = {}
        self.by_name: dict[str, list[Desa]] = {}
        for desa in Desa.objects.filter(code__startswith=regency_code + ".", is_active=True):
            self.by_code[desa.code] = desa
            self.by_name.setdefault(desa.name.casefold(), []).append(desa)

    def find(self, text: str) -> tuple[Desa | None, str]:
        """(the desa, "") or (None, why not)."""
        if text in self.by_code:
            return self.by_code[text], ""
        key = " ".join(text.split()).casefold()
        for prefix in ("desa ", "kelurahan "):
            if key.startswith(prefix) and key[len(prefix) :] in self.by_name:
                key = key[len(prefix) :]
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            codes = ", ".join(f"{d.code} (Kec. {d.kecamatan_id})" for d in found)
            return None, _(
                "nama desa '%(name)s' ada di lebih dari satu kecamatan (%(codes)s); tulis kodenya"
            ) % {"name": text, "codes": codes}
        return None, _(
            "desa '%(name)s' tidak dikenal di kabupaten ini; tulis kode desa (mis. 33.25.01.2001) "
            "atau nama persisnya"
        ) % {"name": text}


def check_lines(rows: list[tuple[int, dict[str, str]]]) -> list[Line]:
    """Every line checked; OfficialsError naming each bad one, or the lines."""
    finder = DesaFinder(current_regency().code)
    role_names = _role_names()
    username_ok = UnicodeUsernameValidator()
    seen = Counter(values["username"].casefold() for _n, values in rows if values["username"])
    first_line: dict[str, int] = {}
    problems, lines = [], []
    for number, values in rows:
        wrong = []
        username = values["username"]
        if not username:
            wrong.append(_("username kosong"))
        else:
            try:
                username_ok(username)
                if len(username) > 150:
                    raise ValidationError("")
            except ValidationError:
                wrong.append(
                    _("username '%(name)s' hanya boleh huruf, angka dan @ . + - _ (tanpa spasi)")
                    % {"name": username}
                )
            key = username.casefold()
            if seen[key] > 1:
                if key in first_line:
                    wrong.append(
                        _("username '%(name)s' sudah dipakai di baris %(first)d")
                        % {"name": username, "first": first_line[key]}
                    )
                else:
                    first_line[key] = number
        name = " ".join(values["nama"].split())
        if not name:
            wrong.append(_("nama kosong"))
        elif problem := name_problem(name):
            wrong.append(problem)
        elif len(name) > 150:
            wrong.append(_("nama lebih dari 150 huruf"))
        roles = set()
        for part in values["peran"].replace(";", ",").split(","):
            if not part.strip():
                continue
            role = role_names.get(" ".join(part.split()).lower())
            if role is None:
                wrong.append(
                    _("peran '%(role)s' tidak dikenal (pilih: %(roles)s)")
                    % {"role": part.strip(), "roles": ", ".join(str(r.label) for r in Role)}
                )
            else:
                roles.add(role)
        if not values["peran"].strip():
            wrong.append(_("peran kosong"))
        desa = None
        if values["desa"]:
            desa, why = finder.find(values["desa"])
            if why:
                wrong.append(why)
            elif Role.OPERATOR_DESA not in roles:
                wrong.append(_("desa hanya diisi untuk operator desa"))
        elif Role.OPERATOR_DESA in roles:
            wrong.append(_("operator desa tanpa desa"))
        phone = ""
        if values["no_hp"]:
            phone = to_e164(values["no_hp"]) or ""
            if not phone:
                wrong.append(
                    _("no_hp '%(phone)s' bukan nomor HP Indonesia (mis. 0812 3456 7890)")
                    % {"phone": values["no_hp"]}
                )
        if wrong:
            problems.append(
                _("Baris %(line)d: %(problems)s.") % {"line": number, "problems": "; ".join(wrong)}
            )
            continue
        lines.append(
            Line(
                number=number,
                username=username,
                name=name,
                roles=frozenset(roles),
                desa_code=desa.code if desa else None,
                phone=phone,
            )
        )
    if problems:
        raise OfficialsError(problems)
    return lines


# --- writing --------------------------------------------------------------------------------


def import_officials(
    *,
    data: bytes,
    actor=None,
    send_messages: bool = False,
    base_url: str = "",
    slip_codes: bool = True,
) -> ImportResult:
    """Create or update the accounts of a sheet, all or nothing.

    New accounts get no password (they cannot log in) and one activation code each:
    returned in the result for the printed slips (unless `slip_codes` is off: the
    administration issues them when the slips are printed), and with `send_messages`
    also a second code sent as a link through the outbox to the number in the sheet."""
    lines = check_lines(read_sheet(data))
    User = get_user_model()
    result = ImportResult()
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    role_groups = set(groups.values())
    with transaction.atomic():
        usernames = [line.username for line in lines]
        existing = {
            user.username: user
            for user in User.objects.select_for_update(of=("self",))
            .filter(username__in=usernames)
            .select_related("operator_assignment", "preference")
            .prefetch_related("groups")
        }
        taken = _names_taken_in_other_case(usernames, existing)
        if taken:
            raise OfficialsError(taken)
        new_lines = [line for line in lines if line.username not in existing]
        for line in lines:
            if line.username in existing:
                if _update(existing[line.username], line, groups, role_groups):
                    result.updated += 1
                else:
                    result.unchanged += 1
        created = _create(new_lines, groups, User)
        result.created = len(created)
        result.new_users = created
        if slip_codes:
            result.codes = issue_codes(users=created, actor=actor, channel="slip")
        if send_messages:
            result.messages_queued = _send_links(created, actor=actor, base_url=base_url)
    return result


def _names_taken_in_other_case(usernames: list[str], existing: dict) -> list[str]:
    """A sheet's 'Budi' beside an account 'budi' would be a second person to Django but
    the same one to the office: refused, so nobody gets two accounts by a capital."""
    wanted = {name.casefold(): name for name in usernames if name not in existing}
    if not wanted:
        return []
    query = Q()
    for name in wanted.values():
        query |= Q(username__iexact=name)
    clash = get_user_model().objects.filter(query).values_list("username", flat=True)
    return [
        _("username '%(name)s' sudah ada sebagai '%(other)s'; tulis persis sama")
        % {"name": wanted[other.casefold()], "other": other}
        for other in clash
        if other.casefold() in wanted
    ]


def _create(lines: list[Line], groups: dict, User) -> list:
    users = []
    for line in lines:
        user = User(username=line.username, first_name=line.name, is_active=True)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    if not users[:1] or users[0].pk is None:  # backends that return no keys
        users = list(User.objects.filter(username__in=[u.username for u in users]))
    by_name = {user.username: user for user in users}
    through = User.groups.through
    through.objects.bulk_create(
        through(user_id=by_name[line.username].pk, group_id=groups[role].pk)
        for line in lines
        for role in sorted(line.roles)
    )
    OperatorAssignment.objects.bulk_create(
        OperatorAssignment(user=by_name[line.username], desa_id=line.desa_code)
        for line in lines
        if line.desa_code
    )
    UserPreference.objects.bulk_create(
        UserPreference(user=by_name[line.username], phone=line.phone)
        for line in lines
        if line.phone
    )
    order = {line.username: i for i, line in enumerate(lines)}
    return sorted(users, key=lambda user: order[user.username])


def _update(user, line: Line, groups: dict, role_groups: set) -> bool:
    """Bring an existing account to its line; whether anything changed. Only the
    service's roles are the sheet's to set: Django's staff flags stay as they are."""
    changed = False
    if user.get_full_name() != line.name:
        user.first_name, user.last_name = line.name, ""
        user.save(update_fields=["first_name", "last_name"])
        changed = True
    have = {group for group in user.groups.all() if group in role_groups}
    want = {groups[role] for role in line.roles}
    if have != want:
        user.groups.remove(*(have - want))
        user.groups.add(*(want - have))
        changed = True
    assignment = getattr(user, "operator_assignment", None)
    if line.desa_code and (assignment is None or assignment.desa_id != line.desa_code):
        OperatorAssignment.objects.update_or_create(user=user, defaults={"desa_id": line.desa_code})
        changed = True
    elif not line.desa_code and assignment is not None:
        assignment.delete()
        changed = True
    preference = getattr(user, "preference", None)
    if line.phone and (preference is None or preference.phone != line.phone):
        UserPreference.objects.update_or_create(user=user, defaults={"phone": line.phone})
        changed = True
    return changed


def _send_links(users: list, *, actor, base_url: str) -> int:
    from accounts.activation import queue_activation_message

    sent = 0
    for user in users:
        sent += queue_activation_message(user=user, actor=actor, base_url=base_url)
    return sent
