"""Fill English translations into locale/en/LC_MESSAGES/django.po from
locale/en/glossary.tsv, then compile the .mo with msgfmt.

Bahasa Indonesia is the source language of every message; a message without an
English line stays Indonesian in the English interface.

Glossary format, one message a line, fields separated by a TAB:

    Indonesian source message<TAB>English translation
    Indonesian plural message<TAB>English singular<TAB>English plural

A message that spans several lines in the .po file is one line in the glossary
(the .po pieces joined); a newline inside a message is written as a literal
backslash-n, a tab as backslash-t and a backslash as two backslashes. A plural
entry is keyed by its singular msgid. Placeholders (%(name)s, %(n)d, %s, {name})
must be the same in the source and the translation; a line whose placeholders
differ is reported and not used.

The .po file is parsed into entries, so multi-line msgids, plural entries and
fuzzy entries are all handled: a fuzzy entry (a guess by msgmerge from a similar
old message) is either filled from the glossary or emptied, never left as a guess.

    python scripts/translate_en.py            fill, compile, print a summary
    python scripts/translate_en.py --missing  also print the untranslated messages,
                                              in glossary form, for adding lines
"""

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
GLOSSARY = ROOT / "locale/en/glossary.tsv"

# Source files whose messages need no English: the PDF letters are official
# Indonesian documents and are always printed in Indonesian.
NO_ENGLISH_NEEDED = ("templates/finance/letters/",)

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\w*\}")

_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
              "f": "\f", "v": "\v"}


# --- .po reading and writing ------------------------------------------------------

def po_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _C_ESCAPES.get(m.group(1), m.group(0)), text)


def po_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r"))


def po_string(keyword: str, text: str) -> str:
    """keyword "text", split after each newline the way gettext writes it."""
    if "\n" not in text.rstrip("\n"):
        return f'{keyword} "{po_escape(text)}"\n'
    pieces = text.splitlines(keepends=True)
    return f'{keyword} ""\n' + "".join(f'"{po_escape(p)}"\n' for p in pieces)


@dataclass
class Entry:
    comments: list = field(default_factory=list)   # '#' lines except flags, in order
    flags: list = field(default_factory=list)      # from '#, a, b'
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)     # index (None for singular) -> text
    obsolete: list = field(default_factory=list)   # '#~' lines, kept as they are

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def references(self) -> list:
        return [ref for line in self.comments if line.startswith("#:")
                for ref in line[2:].split()]

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())

    def render(self) -> str:
        out = [line + "\n" for line in self.comments if not line.startswith("#|")]
        if self.flags:
            out.append("#, " + ", ".join(self.flags) + "\n")
        if self.msgctxt is not None:
            out.append(po_string("msgctxt", self.msgctxt))
        if self.msgid or self.msgid_plural is not None or self.msgstr:
            out.append(po_string("msgid", self.msgid))
            if self.msgid_plural is not None:
                out.append(po_string("msgid_plural", self.msgid_plural))
                for index in sorted(self.msgstr):
                    out.append(po_string(f"msgstr[{index}]", self.msgstr[index]))
            else:
                out.append(po_string("msgstr", self.msgstr.get(None, "")))
        out.extend(line + "\n" for line in self.obsolete)
        return "".join(out)


def parse_po(text: str) -> list:
    entries, entry, target = [], Entry(), None
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')

    def append(value: str) -> None:
        kind, index = target
        if kind == "msgstr":
            entry.msgstr[index] += value
        else:
            setattr(entry, kind, getattr(entry, kind) + value)

    for raw in text.splitlines():
        line = raw.rstrip()
        if not line:
            if entry.comments or entry.flags or entry.msgstr or entry.obsolete or target:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if target and target[0] == "msgstr" and line.startswith(("#", "msgctxt", "msgid")):
            # A new entry begins without a blank line in between.
            entries.append(entry)
            entry, target = Entry(), None
        if line.startswith("#~"):
            entry.obsolete.append(line)
        elif line.startswith("#,"):
            entry.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            entry.comments.append(line)
        elif line.startswith('"'):
            append(po_unescape(line[1:-1]))
        else:
            match = keyword.match(line)
            if not match:
                raise ValueError(f"{PO}: cannot read line: {raw!r}")
            kind, index, value = match.groups()
            value = po_unescape(value)
            if kind.startswith("msgstr"):
                index = int(index) if index is not None else None
                entry.msgstr[index] = value
                target = ("msgstr", index)
            else:
                setattr(entry, kind, value)
                target = (kind, None)
    if entry.comments or entry.flags or entry.msgstr or entry.obsolete or target:
        entries.append(entry)
    return entries


# --- glossary ---------------------------------------------------------------------

def glossary_unescape(text: str) -> str:
    return re.sub(r"\\([nt\\])", lambda m: {"n": "\n", "t": "\t", "\\": "\\"}[m.group(1)], text)


def glossary_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def placeholders(text: str) -> list:
    return sorted(m.group(0) if not m.group(1) else f"%({m.group(1)})"
                  for m in PLACEHOLDER.finditer(text.replace("%%", "")))


def read_glossary() -> dict:
    table, problems = {}, []
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        source, *english = (glossary_unescape(part) for part in line.split("\t"))
        if not english or not all(e.strip() for e in english) or len(english) > 2:
            problems.append(f"glossary line {number}: expected 1 or 2 English fields")
            continue
        wrong = [e for e in english if placeholders(e) != placeholders(source)]
        if wrong:
            problems.append(f"glossary line {number}: placeholders differ from the source: "
                            f"{placeholders(source)} vs {placeholders(wrong[0])}")
            continue
        table[source] = english
    return table, problems


# --- main -------------------------------------------------------------------------

def needs_english(entry: Entry) -> bool:
    refs = [ref.rsplit(":", 1)[0] for ref in entry.references]
    return not refs or not all(ref.startswith(NO_ENGLISH_NEEDED) for ref in refs)


def fill(entry: Entry, table: dict) -> None:
    english = table.get(entry.msgid)
    if english is None:
        if "fuzzy" in entry.flags:
            # msgmerge's guess from a similar old message: not a translation.
            entry.flags.remove("fuzzy")
            entry.msgstr = {key: "" for key in entry.msgstr}
        return
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    if entry.msgid_plural is None:
        entry.msgstr = {None: english[0]}
    else:
        singular, plural = english[0], english[-1]
        entry.msgstr = {index: singular if index == 0 else plural
                        for index in (sorted(entry.msgstr) or [0, 1])}


def main() -> None:
    table, problems = read_glossary()
    entries = parse_po(PO.read_text(encoding="utf-8"))
    for entry in entries:
        if entry.is_header:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            header = entry.msgstr.get(None, "")
            entry.msgstr[None] = re.sub(r"^Language: *$", "Language: en", header, flags=re.M)
        elif not entry.obsolete:
            fill(entry, table)
    PO.write_text("\n".join(entry.render() for entry in entries), encoding="utf-8")
    # Rewrap the way msgmerge does, so that makemessages leaves the file as it is.
    subprocess.run(["msgcat", "-o", str(PO), str(PO)], check=True)
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)],
                   check=True)

    messages = [e for e in entries if not e.is_header and not e.obsolete]
    missing = [e for e in messages if not e.translated]
    needed = [e for e in missing if needs_english(e)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(messages) - len(missing)} of {len(messages)} messages translated; "
          f"{len(needed)} untranslated that need English, "
          f"{len(missing) - len(needed)} untranslated in the Indonesian-only letters.")
    if "--missing" in sys.argv[1:]:
        for entry in missing:
            mark = "" if needs_english(entry) else "# letters: "
            plural = "\t" if entry.msgid_plural is not None else ""
            print(f"{mark}{glossary_escape(entry.msgid)}\t{plural}")


if __name__ == "__main__":
    main()
