#!/usr/bin/env python3
"""Draws the documents that queries.tsv was written for, so the choice is no one's taste.

Documents are drawn at random with a fixed seed, per source (LibreOffice, GIMP, man pages, in
fixed numbers so each kind of prose is represented), and a drawn document is passed over when
  - its text (without the title) is shorter than MIN_CHARS: too little to be a page one looks for;
  - it is not mostly Italian (some GIMP pages are untranslated): more English than Italian
    function words;
  - it has a near-duplicate: another document sharing JACCARD_MAX or more of its word 4-grams
    (LibreOffice has families of pages that differ in one name): the query could not tell them
    apart.
Prints one line per target: path, size, title. This runs before any system is asked anything.

    bench/ranking/pick_targets.py [--corpus bench/data/ranking/corpus] [--show]

`--show` also prints each target's text (first SHOW_CHARS characters), to read while writing
its query. stdlib only.
"""

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = 20261130
PER_SOURCE = {"lo": 72, "gimp": 28, "man": 12}
MIN_CHARS = 600
JACCARD_MAX = 0.6
SHOW_CHARS = 2500

IT = set("il lo la gli le di del della dei delle che e per un una con non sono è si nel nella "
         "questo questa come anche più può essere da al alla".split())
EN = set("the and of to is in that for with this are be can you it on as an or".split())


def words(text):
    return re.findall(r"\w+", text.lower())


def shingles(ws, n=4):
    return {" ".join(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "bench" / "data" / "ranking" / "corpus")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    files = sorted(p.relative_to(args.corpus).as_posix() for p in args.corpus.rglob("*.txt"))
    text = {f: (args.corpus / f).read_text(encoding="utf-8") for f in files}
    body = {f: t.split("\n\n", 1)[1] if "\n\n" in t else t for f, t in text.items()}
    sh = {f: shingles(words(b)) for f, b in body.items()}
    # Inverted index shingle -> documents, so near-duplicates are found without n^2 comparisons.
    post = {}
    for f, s in sh.items():
        for g in s:
            post.setdefault(g, []).append(f)

    def near_duplicate(f):
        counts = {}
        for g in sh[f]:
            for o in post[g]:
                if o != f:
                    counts[o] = counts.get(o, 0) + 1
        for o, c in counts.items():
            if c / max(1, len(sh[f] | sh[o])) >= JACCARD_MAX:
                return o
        return None

    rng = random.Random(SEED)
    picked = []
    for src, want in PER_SOURCE.items():
        pool = [f for f in files if f.startswith(src + "/")]
        rng.shuffle(pool)
        got = 0
        for f in pool:
            if got == want:
                break
            ws = words(body[f])
            it, en = sum(w in IT for w in ws), sum(w in EN for w in ws)
            if len(body[f]) < MIN_CHARS:
                why = "short"
            elif en >= it:
                why = "not Italian"
            elif (o := near_duplicate(f)):
                why = f"near-duplicate of {o}"
            else:
                picked.append(f)
                got += 1
                continue
            print(f"# skipped {f}: {why}", file=sys.stderr)
    for f in picked:
        title = text[f].split("\n", 1)[0]
        print(f"{f}\t{len(body[f])}\t{title}")
        if args.show:
            print(body[f][:SHOW_CHARS].rstrip() + "\n-----")


if __name__ == "__main__":
    main()
