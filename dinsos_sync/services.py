"""Every write of dinsos_sync: loading registry snapshots, switching the active one,
and storing what the cross-check found about claims."""

import hashlib
import json
import logging
import os
import socket
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dinsos_sync.errors import RegistryUnavailable, SyncError
from dinsos_sync.files import COLUMNS, FileProblem, RowChecker, RowSource, unknown_values
from dinsos_sync.findings import (
    CLAIM_FIELDS,
    ClaimFacts,
    Evidence,
    Found,
    Rules,
    evaluate,
    extra_documents,
)
from dinsos_sync.models import (
    Finding,
    ImportProblem,
    RegistryCheck,
    RegistryPerson,
    Snapshot,
    Source,
    UnknownValue,
)
from dinsos_sync.selectors import id_list, other_claims_for, registry_answer, vocabulary_for
from dinsos_sync.words import record_unknown_values
from filestore.storage import local_copy
from santunan.models import OPEN_STATUSES, BenefitPolicy, Claim, ClaimEvent
from santunan.services import ClaimError
from villages.models import Desa
from villages.selectors import current_regency

logger = logging.getLogger(__name__)

BATCH_ROWS = 20_000
# The report lists every refused row up to this many (the counts stay exact beyond it);
# warnings never take their place: they are counted by kind with a few example rows.
MAX_STORED_REFUSALS = 100_000
UPLOAD_DIR = "registry-uploads"

__all__ = [
    "SyncError",
    "RegistryUnavailable",
    "check_claims",
    "import_snapshot",
    "override_blockers",
    "prune_snapshots",
    "queue_import",
    "map_values",
    "cancel_import",
    "request_check",
]


# --- loading a snapshot ----------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _delete_rows(snapshot_id: int) -> None:
    with transaction.atomic():
        RegistryPerson.objects.filter(snapshot_id=snapshot_id).delete()


def import_snapshot(
    *,
    source: str,
    path: Path | str,
    user=None,
    received_on: date | None = None,
    file_name: str = "",
    snapshot_id: int | None = None,
    on_progress: Callable[[Snapshot], None] | None = None,
) -> Snapshot:
    """Load a registry file into a new snapshot and make it the active one.

    Rows are written in committed batches into a snapshot nobody reads yet, so the
    page can show progress; only a complete load whose share of bad rows stays under
    REGISTRY_MAX_BAD_SHARE is switched in. Anything else deletes what was written and
    leaves the previous snapshot active."""
    if source not in Source.values:
        raise SyncError(_("Sumber registri tidak dikenal: %(source)s.") % {"source": source})
    path = Path(path)
    # Loads whose process died are failed and their rows removed before a new one starts.
    fail_abandoned_loads()
    owner = {
        "owner_host": socket.gethostname()[:100],
        "owner_pid": os.getpid(),
        "heartbeat_at": timezone.now(),
    }
    if snapshot_id is None:
        snapshot = Snapshot.objects.create(
            source=source,
            status=Snapshot.Status.LOADING,
            loaded_by=user,
            received_on=received_on or timezone.localdate(),
            file_name=file_name or path.name[:200],
            **owner,
        )
    else:
        # Claim the queued snapshot; a task delivered twice finds it taken and stops.
        if not Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.QUEUED).update(
            status=Snapshot.Status.LOADING, **owner
        ):
            return Snapshot.objects.get(pk=snapshot_id)
        snapshot = Snapshot.objects.get(pk=snapshot_id)
    _watch_load(snapshot.pk)
    try:
        snapshot.sha256 = _file_sha256(path)
        _load_rows(snapshot, path, on_progress)
    except BaseException as exc:
        # Also on Ctrl-C: nothing half-loaded stays behind.
        _delete_rows(snapshot.pk)
        message = (
            exc.message
            if isinstance(exc, FileProblem | SyncError)
            else _("Pemuatan terhenti karena kesalahan sistem; data lama tetap dipakai.")
        )
        _finish(snapshot, Snapshot.Status.FAILED, message)
        if isinstance(exc, FileProblem):
            raise SyncError(message) from None
        raise
    share = snapshot.rows_refused / snapshot.rows_read if snapshot.rows_read else 1.0
    max_share = settings.REGISTRY_MAX_BAD_SHARE
    if snapshot.rows_loaded == 0 or share > max_share:
        _delete_rows(snapshot.pk)
        _finish(
            snapshot,
            Snapshot.Status.REFUSED,
            _(
                "Berkas ditolak: %(bad)d dari %(read)d baris (%(share).1f%%) bermasalah, batasnya "
                "%(max).1f%%. Perbaiki baris yang tercantum di laporan lalu muat ulang."
            )
            % {
                "bad": snapshot.rows_refused,
                "read": snapshot.rows_read,
                "share": share * 100,
                "max": max_share * 100,
            },
        )
        return snapshot
    _activate(snapshot)
    prune_snapshots(source=source, keep=settings.REGISTRY_KEEP_SNAPSHOTS)
    return snapshot


def _load_rows(snapshot: Snapshot, path: Path, on_progress) -> None:
    """Check the file's rows and stream the good ones into the database in committed
    batches of BATCH_ROWS. On PostgreSQL each batch is one COPY that is fed while the
    file is read, so the server stores rows while Python checks the next ones."""
    reader = RowSource(path, snapshot.source)
    checker = RowChecker(
        snapshot.source,
        regency_code=current_regency().code,
        known_desa=set(Desa.objects.values_list("code", flat=True)),
        prefix=(snapshot.pk,),
        vocabulary=vocabulary_for(snapshot.source),
    )
    check = checker.check
    rows = reader.rows()
    problems: list[ImportProblem] = []
    stored_refusals = 0
    finished = False
    while not finished:
        with transaction.atomic():
            loaded = 0
            with _row_writer(RegistryPerson, ["snapshot_id", *COLUMNS]) as write:
                for line, cells in rows:
                    result = check(line, cells)
                    if type(result) is tuple:
                        write(result)
                        loaded += 1
                        if loaded >= BATCH_ROWS:
                            break
                    else:
                        if stored_refusals + len(problems) < MAX_STORED_REFUSALS:
                            problems.append(
                                ImportProblem(snapshot=snapshot, line=line, message=result[:300])
                            )
                        snapshot.rows_refused += 1
                else:
                    finished = True
            examples = [
                ImportProblem(
                    snapshot=snapshot,
                    line=line,
                    message=message[:300],
                    kind=ImportProblem.Kind.WARNING,
                )
                for line, message in checker.warnings
            ]
            checker.warnings.clear()
            ImportProblem.objects.bulk_create(problems + examples, batch_size=5_000)
            stored_refusals += len(problems)
            snapshot.rows_loaded += loaded
            snapshot.rows_warned = checker.rows_warned
            snapshot.report = {
                "unread_columns": reader.unread_columns,
                "missing_columns": reader.missing_columns,
                # Kept rows by kind of warning: how many, and the first lines of each.
                "warnings": [
                    {"message": message, "count": count, "lines": lines}
                    for message, (count, lines) in sorted(
                        checker.warning_groups.items(), key=lambda item: -item[1][0]
                    )
                ],
            }
            snapshot.rows_read = snapshot.rows_loaded + snapshot.rows_refused
            snapshot.progress_done, snapshot.progress_total = (
                reader.progress.done,
                reader.progress.total,
            )
            # The heartbeat, and the check that nobody declared this load dead meanwhile
            # (its rows would then be left behind by a load that no longer owns them).
            if not Snapshot.objects.filter(pk=snapshot.pk, status=Snapshot.Status.LOADING).update(
                heartbeat_at=timezone.now()
            ):
                raise SyncError(_("Pemuatan ini sudah dihentikan; data lama tetap dipakai."))
            snapshot.save(
                update_fields=[
                    "sha256",
                    "rows_read",
                    "rows_loaded",
                    "rows_refused",
                    "rows_warned",
                    "report",
                    "progress_done",
                    "progress_total",
                ]
            )
        problems.clear()
        if on_progress:
            on_progress(snapshot)
    record_unknown_values(
        source=snapshot.source, origin=UnknownValue.Origin.FILE, counts=checker.unknown
    )


@contextmanager
def _row_writer(model, columns: list[str]) -> Iterator[Callable[[tuple], None]]:
    """A function that takes rows (tuples in `columns` order) for the model's table:
    straight into a COPY on PostgreSQL, gathered for one executemany on SQLite."""
    table, names = model._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                yield copy.write_row
        else:
            rows: list[tuple] = []
            yield rows.append
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _finish(snapshot: Snapshot, status: str, message: str) -> None:
    snapshot.status, snapshot.message, snapshot.finished_at = status, message, timezone.now()
    snapshot.save()


def _activate(snapshot: Snapshot) -> None:
    """The one switch: in a single transaction the previous snapshot steps down and this
    one takes over, so a reader sees either the old data or the new, never a mix."""
    with transaction.atomic():
        list(Snapshot.objects.select_for_update().filter(source=snapshot.source))
        current = Snapshot.objects.get(pk=snapshot.pk)
        if current.status != Snapshot.Status.LOADING:
            raise SyncError(_("Pemuatan ini sudah dihentikan; data lama tetap dipakai."))
        Snapshot.objects.filter(source=snapshot.source, status=Snapshot.Status.ACTIVE).update(
            status=Snapshot.Status.SUPERSEDED
        )
        now = timezone.now()
        snapshot.status, snapshot.finished_at, snapshot.activated_at = (
            Snapshot.Status.ACTIVE,
            now,
            now,
        )
        snapshot.message = _(
            "%(loaded)d baris dimuat (%(warned)d dengan peringatan), %(refused)d baris ditolak."
        ) % {
            "loaded": snapshot.rows_loaded,
            "warned": snapshot.rows_warned,
            "refused": snapshot.rows_refused,
        }
        snapshot.save()
    if connection.vendor == "postgresql":
        # Fresh statistics after a million-row COPY; without them the planner may scan
        # the whole table for each cross-check lookup instead of using the NIK index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RegistryPerson._meta.db_table}")
    logger.info(
        "registry %s: snapshot %s active (%d rows)",
        snapshot.source,
        snapshot.pk,
        snapshot.rows_loaded,
    )


def _process_gone(pid: int) -> bool:
    """Whether the process `pid` of this machine has ended (a zombie counts as ended:
    it was killed and only waits for its parent to notice)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def fail_abandoned_loads() -> int:
    """Mark failed every load whose process is gone (same machine) or whose heartbeat
    stopped more than REGISTRY_LOAD_HEARTBEAT seconds ago, and delete its rows. The
    previous snapshot stays active throughout: readers never saw the loading one."""
    host = socket.gethostname()[:100]
    stale = timezone.now() - timedelta(seconds=settings.REGISTRY_LOAD_HEARTBEAT)
    failed = 0
    loading = Snapshot.objects.filter(status=Snapshot.Status.LOADING).values_list(
        "pk", "owner_host", "owner_pid", "heartbeat_at", "created_at"
    )
    for pk, owner_host, owner_pid, heartbeat_at, created_at in loading:
        dead = (owner_host == host and owner_pid and _process_gone(owner_pid)) or (
            (heartbeat_at or created_at) < stale
        )
        if not dead:
            continue
        # Conditional: a load that finished meanwhile, or another watcher, wins.
        if not Snapshot.objects.filter(pk=pk, status=Snapshot.Status.LOADING).update(
            status=Snapshot.Status.FAILED,
            finished_at=timezone.now(),
            message=_(
                "Pemuatan terhenti karena prosesnya mati; baris yang sempat dimuat dihapus dan "
                "data lama tetap dipakai. Muat ulang berkasnya."
            ),
        ):
            continue
        _delete_rows(pk)
        failed += 1
        logger.warning("registry snapshot %s: load abandoned by its process; rows removed", pk)
    return failed


def _watch_load(snapshot_id: int) -> None:
    """Ask the worker to look at this load again in a few minutes (`tasks.watch_load`),
    so a killed load is marked failed even if no other import comes."""
    from dinsos_sync.tasks import watch_load

    try:
        if watch_load.get_backend().supports_defer:
            run_at = timezone.now() + timedelta(seconds=settings.REGISTRY_LOAD_HEARTBEAT)
            watch_load.using(run_after=run_at).enqueue(snapshot_id)
    except Exception:
        # The load itself must not fail because the queue is unavailable.
        logger.exception("registry snapshot %s: watcher not queued", snapshot_id)


def prune_snapshots(*, source: str, keep: int) -> int:
    """Delete the rows of all but the `keep` most recent loaded snapshots of a source
    (the active one is always kept), and of loads abandoned more than a day ago."""
    loaded = list(
        Snapshot.objects.filter(
            source=source,
            status__in=[Snapshot.Status.ACTIVE, Snapshot.Status.SUPERSEDED],
        )
        .order_by("-activated_at", "-pk")
        .values_list("pk", "status")
    )
    doomed = [
        pk
        for index, (pk, status) in enumerate(loaded)
        if index >= max(keep, 1) and status != Snapshot.Status.ACTIVE
    ]
    stale = timezone.now() - timedelta(days=1)
    doomed += list(
        Snapshot.objects.filter(
            source=source, status=Snapshot.Status.LOADING, created_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for pk in doomed:
        _delete_rows(pk)
        Snapshot.objects.filter(pk=pk).delete()
    return len(doomed)


def queue_import(
    *, source: str, upload: UploadedFile, user, received_on: date | None = None
) -> Snapshot:
    """Keep an uploaded file and let the worker load it; the page follows its progress."""
    if source not in Source.values:
        raise SyncError(_("Pilih sumber registri."))
    head = upload.read(4)
    upload.seek(0)
    name = (upload.name or "").lower()
    if not (head == b"PK\x03\x04" or name.endswith(".csv")):
        raise SyncError(_("Berkas harus CSV atau XLSX."))
    extension = "xlsx" if head == b"PK\x03\x04" else "csv"
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{extension}", upload)
    # Words of the status and sex columns nobody mapped yet would refuse every row that
    # uses them; they are shown with their counts for mapping before anything loads.
    try:
        with local_copy(stored) as path:
            unknown = unknown_values(path, source, vocabulary_for(source))
    except FileProblem as problem:
        default_storage.delete(stored)
        raise SyncError(problem.message) from None
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            source=source,
            status=Snapshot.Status.PREVIEW if unknown else Snapshot.Status.QUEUED,
            unknown_values=unknown,
            loaded_by=user,
            upload_path=stored,
            received_on=received_on or timezone.localdate(),
            file_name=(upload.name or "")[:200],
            progress_total=upload.size or 0,
        )
        if not unknown:
            transaction.on_commit(lambda: _enqueue_import(snapshot.pk))
    return snapshot


def map_values(*, snapshot_id: int, meanings: dict[tuple[str, str], str], user) -> Snapshot:
    """Store the administrator's meaning of unknown words (column, word) → canonical
    word, then queue the previewed upload. A word left without a meaning stays unknown:
    a DTKS status is then loaded empty and its rows are kept, each with a warning
    (counted by kind in the report); an unknown sex or alive status still refuses the
    row, as these identify the person and the death."""
    from dinsos_sync.models import ValueMapping
    from dinsos_sync.values import MAPPABLE, word

    with transaction.atomic():
        snapshot = Snapshot.objects.select_for_update().get(pk=snapshot_id)
        if snapshot.status != Snapshot.Status.PREVIEW:
            raise SyncError(_("Berkas ini sudah dimuat atau dibatalkan."))
        for (column, value), meaning in meanings.items():
            if meaning is None or meaning not in MAPPABLE.get(column, {}):
                continue
            ValueMapping.objects.update_or_create(
                source=snapshot.source,
                column=column,
                value=word(value),
                defaults={"meaning": meaning, "created_by": user},
            )
        snapshot.status = Snapshot.Status.QUEUED
        snapshot.save(update_fields=["status"])
        transaction.on_commit(lambda: _enqueue_import(snapshot.pk))
    logger.info(
        "user %s mapped %d registry value(s) for snapshot %s",
        getattr(user, "pk", None),
        sum(1 for meaning in meanings.values() if meaning is not None),
        snapshot.pk,
    )
    return snapshot


def cancel_import(*, snapshot_id: int) -> Snapshot:
    """Drop a previewed upload: nothing was loaded, the file is removed."""
    with transaction.atomic():
        snapshot = Snapshot.objects.select_for_update().get(pk=snapshot_id)
        if snapshot.status != Snapshot.Status.PREVIEW:
            raise SyncError(_("Berkas ini sudah dimuat atau dibatalkan."))
        _finish(
            snapshot, Snapshot.Status.FAILED, _("Pemuatan dibatalkan; data lama tetap dipakai.")
        )
        path = snapshot.upload_path
        transaction.on_commit(lambda: default_storage.delete(path))
    return snapshot


def _enqueue_import(snapshot_id: int) -> None:
    from dinsos_sync.tasks import import_registry_file

    import_registry_file.enqueue(snapshot_id)


def import_uploaded(snapshot_id: int) -> Snapshot:
    """The worker's half of `queue_import`; the uploaded file is removed afterwards
    because the loaded rows are the only copy of the personal data we need."""
    snapshot = Snapshot.objects.get(pk=snapshot_id)
    if snapshot.status != Snapshot.Status.QUEUED:
        return snapshot
    try:
        # A bucket shared with the web servers: the worker reads its own copy.
        with local_copy(snapshot.upload_path) as path:
            return import_snapshot(
                source=snapshot.source,
                path=path,
                user=snapshot.loaded_by,
                snapshot_id=snapshot.pk,
            )
    except SyncError:
        return Snapshot.objects.get(pk=snapshot_id)
    finally:
        default_storage.delete(snapshot.upload_path)


# --- the cross-check --------------------------------------------------------------------


@dataclass
class CheckSummary:
    checked: int = 0
    pending: int = 0
    findings: int = 0
    # Why claims stayed pending: reason → how many claims (no personal data).
    reasons: dict[str, int] = field(default_factory=dict)
    # Persons answered with a word nobody mapped (kept, the field left empty).
    unknown_words: int = 0

    def wait(self, claim_ids: list[int], reason: str) -> None:
        _mark_pending(claim_ids, reason)
        self.pending += len(claim_ids)
        self.reasons[reason] = self.reasons.get(reason, 0) + len(claim_ids)


# Claims per round: one lookup per registry, one write transaction per round.
CHECK_CHUNK = 2_000


def check_claims(
    *, claim_ids: Iterable[int], today: date | None = None, budget: float | None = None
) -> CheckSummary:
    """Cross-check claims against both registries and store the findings.

    A registry the regency does not have (no API address and no snapshot loaded) is
    reported as an info finding and the check goes on without it; a configured registry
    that cannot answer leaves those claims 'pending' (with the reason) for a retry.

    Claims go in rounds of CHECK_CHUNK: their values in one query, each registry asked
    once for all the round's NIKs, and the findings written in bulk.

    The run stops asking registries after `budget` seconds (REGISTRY_RUN_BUDGET): a
    slow registry must not hold a run of ten thousand claims for hours. The claims not
    reached stay pending, counted in the summary with the reason."""
    today = today or timezone.localdate()
    budget = settings.REGISTRY_RUN_BUDGET if budget is None else budget
    deadline = time.monotonic() + budget
    out_of_time = _("Batas waktu pemeriksaan habis; diperiksa pada putaran berikutnya.")
    ids = sorted(set(claim_ids))
    summary = CheckSummary()
    policy = BenefitPolicy.objects.filter(effective_from__lte=today).first()
    base = Rules(
        regency_code=current_regency().code,
        poor_decile_max=policy.poor_decile_max if policy else 5,
        name_min_score=settings.REGISTRY_NAME_MIN_SCORE,
        stale_months=settings.REGISTRY_STALE_MONTHS,
        today=today,
        sktm_accepted=policy.sktm_accepted if policy else True,
    )
    # Each claim is judged by its own policy's poverty test.
    rules_by_policy = {(base.poor_decile_max, base.sktm_accepted): base}
    for start in range(0, len(ids), CHECK_CHUNK):
        chunk = ids[start : start + CHECK_CHUNK]
        if time.monotonic() >= deadline:
            summary.wait(ids[start:], out_of_time)
            break
        claims = [
            ClaimFacts._make(row)
            for row in Claim.objects.filter(pk__in=id_list(chunk)).values_list(*CLAIM_FIELDS)
        ]
        niks = {nik for c in claims for nik in (c.deceased_nik, c.heir_nik) if nik}
        # Words an API answer used that nobody mapped: the persons are kept with that
        # field empty, and the words go to the value-mapping page.
        unknown = {Source.POPULATION: Counter(), Source.SOCIAL: Counter()}
        try:
            population_answer = registry_answer(
                Source.POPULATION, niks, deadline=deadline, unknown=unknown[Source.POPULATION]
            )
            social_answer = registry_answer(
                Source.SOCIAL, niks, deadline=deadline, unknown=unknown[Source.SOCIAL]
            )
        except RegistryUnavailable as exc:
            summary.wait([c.pk for c in claims], exc.message)
            continue
        finally:
            for source, counts in unknown.items():
                if counts:
                    record_unknown_values(
                        source=source, origin=UnknownValue.Origin.API, counts=counts
                    )
                    summary.unknown_words += sum(counts.values())
        population, population_snapshot = population_answer or ({}, None)
        social, social_snapshot = social_answer or ({}, None)
        population_known, social_known = population_answer is not None, social_answer is not None
        population_received = population_snapshot.received_on if population_snapshot else None
        social_received = social_snapshot.received_on if social_snapshot else None
        others = other_claims_for(claims)
        results: dict[int, list[Found]] = {}
        for claim in claims:
            key = (
                base.poor_decile_max if claim.poor_decile_max is None else claim.poor_decile_max,
                base.sktm_accepted if claim.sktm_accepted is None else claim.sktm_accepted,
            )
            rules = rules_by_policy.get(key) or rules_by_policy.setdefault(
                key, replace(base, poor_decile_max=key[0], sktm_accepted=key[1])
            )
            evidence = Evidence(
                deceased_population=population.get(claim.deceased_nik),
                deceased_social=social.get(claim.deceased_nik),
                heir_population=population.get(claim.heir_nik),
                heir_social=social.get(claim.heir_nik),
                population_received=population_received,
                social_received=social_received,
                others=others.get(claim.pk, []),
                population_known=population_known,
                social_known=social_known,
            )
            results[claim.pk] = evaluate(claim, evidence, rules)
        _store_findings(results, population_snapshot, social_snapshot)
        summary.checked += len(results)
        summary.findings += sum(len(found) for found in results.values())
    return summary


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Many plain rows at once: COPY on PostgreSQL, one executemany on SQLite. Used where
    bulk_create's per-field preparation would cost more than the work itself."""
    if rows:
        with _row_writer(model, columns) as write:
            for row in rows:
                write(row)


def _store_findings(results: dict[int, list[Found]], population_snapshot, social_snapshot) -> None:
    """Write one round's results: only the findings that changed are deleted or added
    (a finding that stays keeps its id and date), every check is marked done in one
    UPDATE, and a claim gets an audit event only when its required documents change."""
    now = timezone.now()
    with transaction.atomic():
        # Locked in key order, so two checks of overlapping claims cannot deadlock.
        current = dict(
            Claim.objects.select_for_update()
            .filter(pk__in=id_list(results))
            .order_by("pk")
            .values_list("pk", "extra_required_documents")
        )
        pks = list(current)
        # The findings already stored, by what they say; a finding found again is kept.
        old: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
        for pk, claim_id, code, severity, params in Finding.objects.filter(
            claim_id__in=id_list(pks)
        ).values_list("pk", "claim_id", "code", "severity", "params"):
            old[(claim_id, code, severity)].append((pk, params))
        stamp = connection.ops.adapt_datetimefield_value(now)
        added = []
        for pk in pks:
            for f in results[pk]:
                stored = old.get((pk, f.code, f.severity))
                match = next((i for i, (_, p) in enumerate(stored or ()) if p == f.params), None)
                if match is None:
                    added.append((pk, f.code, f.severity, json.dumps(f.params), stamp))
                else:
                    stored.pop(match)
        gone = [finding for left in old.values() for finding, _params in left]
        if gone:
            Finding.objects.filter(pk__in=id_list(gone)).delete()
        _insert_rows(Finding, ["claim_id", "code", "severity", "params", "created_at"], added)

        done = {
            "status": RegistryCheck.Status.DONE,
            "last_error": "",
            "checked_at": now,
            "population_snapshot": population_snapshot,
            "social_snapshot": social_snapshot,
        }
        checks = RegistryCheck.objects.filter(claim_id__in=id_list(pks))
        existing = set(checks.values_list("claim_id", flat=True))
        if existing:
            checks.update(**done)
        population_id = population_snapshot.pk if population_snapshot else None
        social_id = social_snapshot.pk if social_snapshot else None
        _insert_rows(
            RegistryCheck,
            [
                "claim_id",
                "status",
                "attempts",
                "last_error",
                "requested_at",
                "checked_at",
                "population_snapshot_id",
                "social_snapshot_id",
            ],
            [
                (pk, str(RegistryCheck.Status.DONE), 0, "", stamp, stamp, population_id, social_id)
                for pk in pks
                if pk not in existing
            ],
        )

        changed: dict[tuple, list[int]] = {}
        for pk, documents in current.items():
            wanted = tuple(extra_documents(results[pk]))
            if sorted(wanted) != sorted(documents or []):
                changed.setdefault(wanted, []).append(pk)
        for wanted, changed_pks in changed.items():
            # Only this field: the claim's status belongs to the santunan workflow.
            Claim.objects.filter(pk__in=id_list(changed_pks)).update(
                extra_required_documents=list(wanted)
            )
            _insert_copies(
                ClaimEvent(
                    action="registry_documents", data={"extra_required_documents": list(wanted)}
                ),
                "claim_id",
                changed_pks,
            )


def _insert_copies(prototype, varying: str, values: list) -> None:
    """Insert one row per value: `prototype` with its `varying` attribute set to that
    value. Each field's database value is prepared once by Django (defaults, auto_now_add,
    JSON), so ten thousand audit events cost one COPY instead of ten thousand objects."""
    model = type(prototype)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = [f.get_db_prep_save(f.pre_save(prototype, add=True), connection) for f in fields]
    position = next(i for i, f in enumerate(fields) if f.attname == varying)
    rows = []
    for value in values:
        row = list(prepared)
        row[position] = value
        rows.append(tuple(row))
    _insert_rows(model, [f.column for f in fields], rows)


def _mark_pending(claim_ids: list[int], reason: str) -> None:
    with transaction.atomic():
        checks = RegistryCheck.objects.filter(claim_id__in=id_list(claim_ids))
        existing = set(checks.values_list("claim_id", flat=True))
        RegistryCheck.objects.bulk_create(
            [RegistryCheck(claim_id=pk) for pk in claim_ids if pk not in existing],
            batch_size=500,
        )
        checks.update(
            status=RegistryCheck.Status.PENDING,
            last_error=reason[:300],
            attempts=F("attempts") + 1,
        )


def open_claim_ids() -> list[int]:
    return list(Claim.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))


def request_check(claim_id: int) -> None:
    """After a submission commits: mark the check pending and queue it. Never raises,
    because the submission has already happened and must not look failed."""
    from dinsos_sync.tasks import check_claim

    try:
        with transaction.atomic():
            RegistryCheck.objects.get_or_create(claim_id=claim_id)
            RegistryCheck.objects.filter(claim_id=claim_id).update(
                status=RegistryCheck.Status.PENDING, attempts=0, last_error=""
            )
        check_claim.enqueue(claim_id)
    except Exception:
        logger.exception("registry check of claim %s could not be queued", claim_id)


def override_blockers(*, claim: Claim, user, override_reason: str) -> dict:
    """Before `verify`: blocker findings stop it unless the verifier says why they are
    wrong; the overridden findings go into the audit event with that reason."""
    data: dict = {}
    check = RegistryCheck.objects.filter(claim=claim).first()
    if check is None or check.status == RegistryCheck.Status.PENDING:
        data["registry_check"] = "pending"
    blockers = list(Finding.objects.filter(claim=claim, severity="blocker").order_by("pk"))
    if not blockers:
        return data
    if len((override_reason or "").strip()) < 10:
        raise ClaimError(
            _(
                "Ada temuan registri yang menghalangi verifikasi. Tuliskan alasan mengabaikannya "
                "(paling sedikit 10 huruf) bila Anda yakin klaim ini benar."
            ),
            problems=[f.message for f in blockers],
        )
    data["registry_override"] = [{"finding": f.pk, "code": f.code} for f in blockers]
    logger.info(
        "claim %s verified over %d registry blocker(s) by user %s", claim.pk, len(blockers), user.pk
    )
    return data
