"""Payout letters: Indonesian formatting and PDF rendering."""

from santunan.finance.letters.formatting import rupiah, tanggal, terbilang
from santunan.finance.letters.pdf import render_many, render_pdf

__all__ = ["render_many", "render_pdf", "rupiah", "tanggal", "terbilang"]
