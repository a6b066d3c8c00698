"""Payout letters: Indonesian formatting and PDF rendering."""

from santunan.finance.letters.formatting import rupiah, tanggal, terbilang
from santunan.finance.letters.pdf import Job, render_letters, render_many, render_pdf

__all__ = ["Job", "render_letters", "render_many", "render_pdf", "rupiah", "tanggal", "terbilang"]
