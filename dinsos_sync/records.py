"""One person as a registry describes them, whichever way the answer arrived (a
snapshot row or the registry's HTTP API), and its JSON form on the wire."""

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


def person_from_json(data) -> Person:
    from dinsos_sync.files import ALIVE, DTKS
    from santunan.identity import SIXTEEN_DIGITS, normalise_number

    if not isinstance(data, dict):
        raise MalformedPerson("person is not an object")
    nik = data.get("nik")
    # The registry's answer takes the same normal form as a typed NIK, so a lookup by
    # the claim's ASCII NIK finds it.
    nik = normalise_number(nik) if isinstance(nik, str) else None
    if nik is None or not SIXTEEN_DIGITS.match(nik):
        raise MalformedPerson("person without a 16-digit nik")

    def day(key: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise MalformedPerson(f"{key} is not an ISO date") from None

    def text(key: str) -> str:
        value = data.get(key) or ""
        if not isinstance(value, str):
            raise MalformedPerson(f"{key} is not text")
        return value.strip()

    decile = data.get("desil")
    if decile is not None and (not isinstance(decile, int) or not 1 <= decile <= 10):
        raise MalformedPerson("desil is not 1-10")
    status_dtks = text("status_dtks").upper()
    status_hidup = text("status_hidup").upper()
    if status_dtks not in DTKS or (status_hidup and status_hidup not in ALIVE):
        raise MalformedPerson("unknown status value")
    return Person(
        nik=nik,
        name=text("nama"),
        birth_date=day("tanggal_lahir"),
        sex=text("jenis_kelamin").upper(),
        kk=normalise_number(text("no_kk")),
        desa_code=text("kode_desa"),
        address=text("alamat"),
        dtks=DTKS[status_dtks],
        decile=decile,
        updated_on=day("tanggal_update"),
        alive=ALIVE.get(status_hidup),
        death_date=day("tanggal_meninggal"),
    )
