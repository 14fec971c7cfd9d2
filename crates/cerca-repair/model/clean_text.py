#!/usr/bin/env python3
"""Correct text in many languages from the machine's gettext catalogues (Debian's translations
under /usr/share/locale), from the lines with non-ASCII characters of its documentation
(/usr/share/doc: symbols, box drawing, typography) and from cerca's corpus, split in two halves that share no package and
no article: `train` builds the plausibility model, `bench` builds the repair benchmark.

Usage: clean_text.py train|bench > text
Each output line is one translated message or one corpus paragraph.
"""

import gettext
import hashlib
import pathlib
import sys

LANGS = [
    "it", "fr", "de", "es", "pt", "pt_BR", "pl", "cs", "sk", "tr", "sv", "da", "nb", "fi",
    "hu", "ro", "hr", "sl", "nl", "ca", "is", "et", "lt", "lv", "el", "ru", "uk", "ja", "zh_CN",
]
REPO = pathlib.Path(__file__).resolve().parents[3]


def half(name: str) -> str:
    """Which half a package or article belongs to: a stable hash of its name."""
    return "train" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "bench"


def catalogues(split: str):
    for lang in LANGS:
        folder = pathlib.Path("/usr/share/locale") / lang / "LC_MESSAGES"
        for mo in sorted(folder.glob("*.mo")):
            if half(mo.stem) != split:
                continue
            try:
                with open(mo, "rb") as f:
                    catalog = gettext.GNUTranslations(f)._catalog
            except Exception:
                continue
            for key, value in catalog.items():
                if key == "" or not isinstance(value, str):
                    continue
                for line in value.splitlines():
                    line = line.strip()
                    if len(line) >= 12 and "\ufffd" not in line:
                        yield lang, mo.stem, line


def corpus(split: str):
    for path in sorted((REPO / "corpus").iterdir()):
        if half(path.name) != split:
            continue
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            para = " ".join(para.split())
            if len(para) >= 12:
                yield "it", path.name, para


def documentation(split: str):
    for path in sorted(pathlib.Path("/usr/share/doc").rglob("*")):
        if path.suffix not in (".md", ".txt", ".rst") or not path.is_file():
            continue
        if half(str(path)) != split:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for line in text.splitlines():
            line = line.strip()
            if len(line) >= 12 and not line.isascii() and "\ufffd" not in line:
                yield "en", path.name, line


def lines(split: str):
    yield from corpus(split)
    yield from catalogues(split)
    yield from documentation(split)


if __name__ == "__main__":
    split = sys.argv[1] if len(sys.argv) > 1 else "train"
    for _lang, _source, line in lines(split):
        print(line)
