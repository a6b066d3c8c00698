"""The area table of all Indonesia shipped with the project (villages/data/
indonesia_wilayah.csv.gz, Kepmendagri 2025; see SOURCE.md beside it). Read-only:
it is package data, so an installation never needs the network or another folder."""

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NATIONAL_TABLE = Path(__file__).resolve().parent / "data" / "indonesia_wilayah.csv.gz"
HEADER = ("code", "name", "level", "parent_code")
REGENCY_LEVELS = ("kabupaten", "kota")


@dataclass(frozen=True)
class RegencyEntry:
    code: str
    name: str
    kind: str  # "kabupaten" or "kota"
    province_code: str
    province_name: str


def read_table(data: bytes) -> str:
    """The text of an area table, gzip-compressed or not."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")


@lru_cache(maxsize=1)
def _national_rows() -> tuple[tuple[str, str, str, str], ...]:
    # The shipped file never changes while the process runs, so one read is enough.
    text = read_table(NATIONAL_TABLE.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    return tuple(tuple(row) for row in reader)


@lru_cache(maxsize=1)
def regencies() -> tuple[RegencyEntry, ...]:
    """Every kabupaten and kota of the shipped table, by code."""
    provinces = {code: name for code, name, level, _ in _national_rows() if level == "provinsi"}
    return tuple(
        RegencyEntry(code, name, level, parent, provinces.get(parent, ""))
        for code, name, level, parent in _national_rows()
        if level in REGENCY_LEVELS
    )


def provinces() -> list[tuple[str, str]]:
    """(code, name) of every province in the shipped table."""
    return [(code, name) for code, name, level, _ in _national_rows() if level == "provinsi"]


def regencies_in(province_code: str) -> list[RegencyEntry]:
    return [r for r in regencies() if r.province_code == province_code]


def find_regency(code: str) -> RegencyEntry | None:
    return next((r for r in regencies() if r.code == code), None)


def regency_rows(text: str, code: str) -> list[tuple[str, str, str, str]] | None:
    """The rows of one regency (its own row, kecamatan, desa/kelurahan) from the text
    of an area table, national or the regency's own; None when the header lacks a
    column."""
    reader = csv.reader(io.StringIO(text, newline=""))
    index = {name.strip(): i for i, name in enumerate(next(reader, None) or [])}
    if any(column not in index for column in HEADER):
        return None
    picked = []
    for row in reader:
        # A short row keeps its place with empty values, so the loader reports it.
        values = tuple(row[index[c]] if index[c] < len(row) else "" for c in HEADER)
        row_code = values[0].strip()
        if row_code == code or row_code.startswith(code + "."):
            picked.append(values)
    return picked


def regency_csv(code: str, *, text: str | None = None) -> bytes:
    """One regency's part of a table (the shipped one by default) as a CSV in the
    format load_wilayah reads."""
    if text is None:
        rows = [r for r in _national_rows() if r[0] == code or r[0].startswith(code + ".")]
    else:
        rows = regency_rows(text, code)
        if rows is None:
            # Handed on whole, so the loader names the missing column.
            return text.encode("utf-8")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def short_name(name: str) -> str:
    """The town of a regency ("Semarang" for Kota Semarang), where its letters are signed."""
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def area_counts(code: str) -> tuple[int, int]:
    """(kecamatan, desa + kelurahan) of a regency in the shipped table."""
    kecamatan = desa = 0
    for row_code, _name, level, _parent in _national_rows():
        if row_code.startswith(code + "."):
            if level == "kecamatan":
                kecamatan += 1
            else:
                desa += 1
    return kecamatan, desa
