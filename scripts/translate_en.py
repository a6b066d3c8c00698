"""Fill English translations into locale/en/LC_MESSAGES/django.po from
locale/en/glossary.tsv (Indonesian<TAB>English, one message a line), then compile.

Bahasa Indonesia is the source language of every message; a message without an
English line stays Indonesian in the English interface."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
GLOSSARY = ROOT / "locale/en/glossary.tsv"


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main() -> None:
    table = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, _tab, english = line.partition("\t")
            table[source] = english
    text = PO.read_text(encoding="utf-8")
    entry = re.compile(r'(msgid "((?:[^"\\]|\\.)*)"\n)(msgstr "")\n(?!")')

    def fill(match: re.Match) -> str:
        source = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
        if source in table:
            return f'{match.group(1)}msgstr "{po_escape(table[source])}"\n'
        return match.group(0)

    text = entry.sub(fill, text)
    text = text.replace("#, fuzzy\n", "", 1)
    PO.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)


if __name__ == "__main__":
    main()
