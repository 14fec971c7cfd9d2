#!/usr/bin/python3
"""Indexes the yardstick's corpus into a Xapian database, for `quest` to search.

Run with Debian's /usr/bin/python3, the interpreter python3-xapian is built for (the default
python3 on this machine is a pyenv CPython without the bindings). Each corpus file is one
Xapian document: its whole text (title line included) goes through a TermGenerator with the
Italian Snowball stemmer and the default strategy (STEM_SOME: every word is indexed as it is
and, with the Z prefix, as its stem), with positions; the document's data is its path relative
to the corpus folder, which is what `quest` prints back. No stopword list: Xapian ships none for
Italian, and BM25's idf already weighs the frequent words down.

    /usr/bin/python3 bench/ranking/xapian_index.py CORPUS_DIR DB_DIR
"""

import sys
from pathlib import Path

import xapian


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    corpus, dbdir = Path(sys.argv[1]), sys.argv[2]
    db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("italian"))
    n = 0
    for f in sorted(corpus.rglob("*.txt")):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(f.read_text(encoding="utf-8"))
        doc.set_data(f.relative_to(corpus).as_posix())
        db.add_document(doc)
        n += 1
    db.commit()
    db.close()
    print(f"xapian_index: {n} documents, Xapian {xapian.version_string()}", file=sys.stderr)


if __name__ == "__main__":
    main()
