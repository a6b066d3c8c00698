"""One person as a registry describes them, whichever way the answer arrived (a
snapshot row or the registry's HTTP API), and its JSON form on the wire."""

from collections import Counter
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Person:
    nik: str
    name: str
    birth_date: date | None
    sex: str = ""
    kk: str = ""
    desa_code: str = ""
    address: str = ""
    dtks: bool | None = None
    decile: int | None = None
    updated_on: date | None = None
    alive: bool | None = None
    death_date: date | None = None

    @classmethod
    def from_row(cls, row: tuple) -> "Person":
        """From a tuple in `files.COLUMNS` order (the order of the fields above)."""
        return cls(*row)

    def to_json(self) -> dict:
        """The registry API's field names (the same as the file layouts)."""
        iso = _iso
        data = {
            "nik": self.nik,
            "nama": self.name,
            "tanggal_lahir": iso(self.birth_date),
            "jenis_kelamin": self.sex,
            "no_kk": self.kk,
            "kode_desa": self.desa_code,
            "alamat": self.address,
        }
        if self.alive is None:
            data.update(
                {
                    "status_dtks": {True: "YA", False: "TIDAK", None: ""}[self.dtks],
                    "desil": self.decile,
                    "tanggal_update": iso(self.updated_on),
                }
            )
        else:
            data.update(
                {
                    "status_hidup": "HIDUP" if self.alive else "MENINGGAL",
                    "tanggal_meninggal": iso(self.death_date),
                }
            )
        return data


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class MalformedPerson(ValueError):
    """A registry answer that does not describe a person the way the API promises."""


def person_from_json(data, vocabulary=None, unknown: Counter | None = None) -> Person:
    """A person of the API's JSON, read like a file row (`values`): ISO or day-first
    dates, a decile as number, text or empty, status words including the regency's
    mapped ones. A person without a readable NIK or dates is refused, never guessed.

    A status word the installation has not mapped, or a decile outside 1–10, leaves that
    field empty and keeps the person, as a file row is kept: one such person must not
    make a whole answer unusable. Each such word is counted in `unknown` as
    (column, word), for the log and the value-mapping page."""
    from dinsos_sync.values import (
        SIXTEEN,
        BadValue,
        Vocabulary,
        clean_number,
        parse_date,
        parse_decile,
        word,
    )

    if not isinstance(data, dict):
        raise MalformedPerson("person is not an object")
    nik = data.get("nik")
    nik = clean_number(nik) if isinstance(nik, str) else None
    if not nik or not SIXTEEN.match(nik):
        raise MalformedPerson("person without a 16-digit nik")
    alive_given = "status_hidup" in data and data.get("status_hidup") not in (None, "")
    source = "population" if alive_given or "tanggal_meninggal" in data else "social"
    vocabulary = vocabulary if vocabulary is not None else Vocabulary.builtin(source)

    def day(key: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            raise MalformedPerson(f"{key} is not a date")
        return parsed

    def text(key: str) -> str:
        value = data.get(key) or ""
        if not isinstance(value, str):
            raise MalformedPerson(f"{key} is not text")
        return value.strip()

    def status(column: str):
        words = vocabulary.words.get(column) or Vocabulary.builtin(
            "social" if column == "status_dtks" else "population"
        ).table(column)
        raw = word(data.get(column))
        if raw not in words:
            note(column, raw)
            return None
        return words[raw]

    def note(column: str, raw: str) -> None:
        if unknown is not None:
            unknown[(column, raw[:100])] += 1

    try:
        decile = parse_decile(data.get("desil"))
    except BadValue:
        note("desil", word(data.get("desil")))
        decile = None
    sex = text("jenis_kelamin")
    sexes = vocabulary.words.get("jenis_kelamin", {})
    if sex and word(sex) not in sexes:
        note("jenis_kelamin", word(sex))
    return Person(
        nik=nik,
        name=text("nama"),
        birth_date=day("tanggal_lahir"),
        sex=sexes.get(word(sex), sex.upper()),
        kk=clean_number(text("no_kk")),
        desa_code=text("kode_desa"),
        address=text("alamat"),
        dtks=status("status_dtks") if "status_dtks" in data else None,
        decile=decile,
        updated_on=day("tanggal_update"),
        alive=status("status_hidup") if alive_given else None,
        death_date=day("tanggal_meninggal"),
    )
