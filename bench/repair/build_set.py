#!/usr/bin/env python3
"""Builds the repair benchmark's cases (cases.tsv) from correct text that the plausibility model
never saw (the `bench` half of crates/cerca-repair/model/clean_text.py: other gettext packages,
other documentation files, other corpus articles). Damage is made by Python's own codecs, the
way real software damaged text: UTF-8 bytes decoded through a wrong code page, once or several
times, with the losses real decoders cause. Deterministic (fixed seed).

Each output line: category, tab, damaged text, tab, expected repair (escaped with
unicode_escape-free JSON strings).
"""

import json
import pathlib
import random
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "crates" / "cerca-repair" / "model"))
import clean_text  # noqa: E402

WESTERN = ["it", "fr", "de", "es", "pt", "pt_BR", "sv", "da", "nb", "fi", "nl", "ca", "is", "tr", "en"]
CENTRAL = ["pl", "cs", "sk", "hu", "hr", "sl", "ro"]
OTHER = ["el", "ru", "uk", "lt", "lv", "et"]
PER_CATEGORY = 30
CORRECT = 360


def sloppy(codec: str):
    """Decodes bytes through `codec` the way browsers do: a byte it lacks becomes the C1
    control at the same code point."""

    def decode(data: bytes) -> str:
        out = []
        for b in data:
            try:
                out.append(bytes([b]).decode(codec))
            except UnicodeDecodeError:
                out.append(chr(b))
        return "".join(out)

    return decode


def lossy(codec: str):
    """Decodes through `codec`, a byte it lacks becoming U+FFFD (Python's errors='replace')."""
    return lambda data: data.decode(codec, errors="replace")


def damage(text: str, codecs) -> str:
    for decode in codecs:
        text = decode(text.encode("utf-8"))
    return text


def cesu8(text: str) -> bytes:
    """UTF-8 of each UTF-16 unit: characters beyond the BMP become surrogate pairs."""
    units = text.encode("utf-16-le")
    out = bytearray()
    for i in range(0, len(units), 2):
        unit = chr(int.from_bytes(units[i:i + 2], "little"))
        out += unit.encode("utf-8", errors="surrogatepass")
    return bytes(out)


def lost_expected(text: str, codec: str) -> str:
    """The original with each character one of whose bytes `codec` lacks replaced by U+FFFD."""
    out = []
    for ch in text:
        try:
            ch.encode("utf-8").decode(codec)
            out.append(ch)
        except UnicodeDecodeError:
            out.append("\ufffd")
    return "".join(out)


def main() -> None:
    rng = random.Random(11)
    by_lang = {}
    for lang, _source, line in clean_text.lines("bench"):
        if 30 <= len(line) <= 180 and not line.isascii() and "\t" not in line:
            by_lang.setdefault(lang, []).append(line)
    for lines in by_lang.values():
        rng.shuffle(lines)

    def pick(langs, need=lambda s: True):
        while True:
            lang = rng.choice(langs)
            lines = by_lang.get(lang) or []
            if not lines:
                continue
            line = lines.pop()
            if need(line):
                return line

    cases = []

    def add(category, damaged, expected):
        if damaged != expected:
            cases.append((category, damaged, expected))

    cp1252 = sloppy("cp1252")
    latin1 = sloppy("latin-1")
    for _ in range(PER_CATEGORY):
        s = pick(WESTERN + OTHER)
        add("windows-1252", damage(s, [cp1252]), s)
    for _ in range(PER_CATEGORY):
        s = pick(WESTERN)
        add("latin-1", damage(s, [latin1]), s)
    for _ in range(PER_CATEGORY):
        s = pick(WESTERN + CENTRAL)
        add("macroman", damage(s, [sloppy("mac_roman")]), s)
    for _ in range(PER_CATEGORY):
        s = pick(CENTRAL + WESTERN)
        add("windows-1250", damage(s, [sloppy("cp1250")]), s)
    for _ in range(PER_CATEGORY):
        s = pick(CENTRAL)
        add("iso-8859-2", damage(s, [sloppy("iso8859_2")]), s)
    for _ in range(PER_CATEGORY):
        s = pick(WESTERN + CENTRAL)
        add("cp437", damage(s, [sloppy("cp437")]), s)
    for _ in range(PER_CATEGORY):
        s = pick(["it"])
        # The seed's damage: read as TIS-620 (Windows-874), bytes it lacks dropped.
        add("windows-874", "".join(ch for ch in damage(s, [lossy("cp874")]) if ch != "\ufffd"), s)
    for _ in range(PER_CATEGORY):
        s = pick(WESTERN + CENTRAL)
        first, second = rng.choice([(cp1252, cp1252), (cp1252, latin1), (sloppy("cp1250"), cp1252),
                                    (sloppy("mac_roman"), cp1252), (cp1252, sloppy("mac_roman"))])
        add("two layers", damage(s, [first, second]), s)
    for _ in range(PER_CATEGORY // 2):
        s = pick(WESTERN)
        add("three layers", damage(s, [cp1252, cp1252, cp1252]), s)
    for _ in range(PER_CATEGORY):
        # A decoder that replaces what Windows-1252 lacks (Á, Í, Ð, Ý, ”, č, ő ...) with U+FFFD.
        s = pick(WESTERN + CENTRAL, lambda t: lost_expected(t, "cp1252") != t)
        add("lost bytes", damage(s, [lossy("cp1252")]), lost_expected(s, "cp1252"))
    for _ in range(PER_CATEGORY):
        # The no-break space of à (C3 A0), Š (C5 A0) ... became a plain space.
        s = pick(WESTERN + CENTRAL, lambda t: any(c.encode()[-1:] == b"\xa0" for c in t if not c.isascii()))
        add("no-break space lost", damage(s, [cp1252]).replace("\u00a0", " "), s)
    for _ in range(PER_CATEGORY // 2):
        s = pick(WESTERN) + " " + rng.choice(["😀", "👍", "🎉", "🤖", "❤️", "🇮🇹"])
        add("cesu-8 emoji", cp1252(cesu8(s)), s)
    for _ in range(PER_CATEGORY):
        # Windows-1252 read as Latin-1: typographic quotes and dashes became C1 controls.
        s = pick(WESTERN, lambda t: any(c in t for c in "“”‘’–—…€„Šš") and encodable(t, "cp1252"))
        add("c1 controls", s.encode("cp1252").decode("latin-1"), s)
    for _ in range(PER_CATEGORY):
        # Damage next to correct text in one string.
        good, bad = pick(WESTERN + CENTRAL), pick(WESTERN)
        codec = rng.choice([cp1252, sloppy("mac_roman"), sloppy("cp1250")])
        parts = [good, damage(bad, [codec])]
        rng.shuffle(parts)
        add("mixed with correct text", " ".join(parts), " ".join(good if p == good else bad for p in parts))
    for _ in range(CORRECT):
        s = pick(WESTERN + CENTRAL + OTHER + ["ja", "zh_CN"])
        cases.append(("correct", s, s))
    out = HERE / "cases.tsv"
    with open(out, "w", encoding="utf-8") as f:
        for category, damaged, expected in cases:
            f.write(f"{category}\t{json.dumps(damaged)}\t{json.dumps(expected)}\n")
    print(f"{len(cases)} cases -> {out}", file=sys.stderr)


def encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


if __name__ == "__main__":
    main()
