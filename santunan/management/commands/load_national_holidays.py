"""Yearly (and safe to run any day): Indonesia's public holidays from the built-in
calendar for this year and the next, or for the years given. Days the office added are
kept; a year whose national days the office loaded itself (`load_holidays`) is left."""

from django.core.management.base import BaseCommand, CommandError

from santunan.holidays import (
    HolidayFileError,
    HolidayLoad,
    load_coming_holidays,
    load_national_holidays,
)


class Command(BaseCommand):
    help = (
        "Muat hari libur nasional dari kalender bawaan untuk tahun ini dan tahun depan "
        "(atau tahun yang disebut); hari yang ditambahkan kantor tidak diubah."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, metavar="TAHUN")

    def handle(self, *args, years: list[int], **options):
        try:
            if years:
                loads = [load_national_holidays(year=year) for year in years]
            else:
                loads = load_coming_holidays()
        except HolidayFileError as exc:
            raise CommandError(exc.message) from None
        for result in loads:
            self.stdout.write(describe(result))


def describe(result: HolidayLoad) -> str:
    if result.left_to_office:
        return (
            f"Hari libur {result.year}: daftar libur nasional dicatat kantor; "
            "kalender bawaan tidak mengubahnya."
        )
    return (
        f"Hari libur {result.year} (kalender bawaan): {result.total} hari; "
        f"{result.added} ditambah, {result.renamed} diubah keterangannya, "
        f"{result.removed} dihapus."
    )
