#!/usr/bin/env python3
"""Turns the Italian documentation installed by bench/ranking/setup into the yardstick's corpus.

One source page becomes one plain-text file: its title on the first line, a blank line, then its
paragraphs separated by blank lines. All three systems that run compares index exactly these
files, so the yardstick measures ranking, not how each one strips HTML. Sources:

    lo/...     LibreOffice help, /usr/share/libreoffice/help/it/**/*.html (the page's DisplayArea,
               without the "related topics" links, hidden macOS variants and the debug footer)
    gimp/...   GIMP help, /usr/share/gimp/2.0/help/it/*.html (without the navigation header/footer)
    man/...    Italian man pages, /usr/share/man/it/man*/*.gz, rendered by `man -l`

Symlinked and `.so` man pages, pages with less than MIN_CHARS of text and pages whose text is
identical to an earlier one (in path order) are left out. The output is deterministic: same
packages, same files, byte for byte. manifest.tsv records, for each corpus file, its source file,
the source package and the text's size.

    bench/ranking/build_corpus.py [--out bench/data/ranking/corpus]

stdlib only.
"""

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_OUT = ROOT / "bench" / "data" / "ranking" / "corpus"
LO = Path("/usr/share/libreoffice/help/it")
GIMP = Path("/usr/share/gimp/2.0/help/it")
MAN = Path("/usr/share/man/it")
MIN_CHARS = 150

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
         "table", "tr", "pre", "blockquote", "section", "article", "header", "footer", "br",
         "hr", "title", "caption", "figure"}
CELL = {"td", "th"}


class Extract(HTMLParser):
    """Collects the title and the paragraphs of one help page.

    `keep(tag, attrs)` says whether an element opens the part of the page to read;
    `drop(tag, attrs)` whether an element and everything inside it is navigation; `spaced(tag,
    attrs)` whether a space follows the element's text.
    """

    def __init__(self, keep, drop, spaced=lambda t, a: False):
        super().__init__(convert_charrefs=True)
        self.keep, self.drop, self.spaced = keep, drop, spaced
        self.stack = []  # (tag, inside_kept, dropped, spaced) per open element
        self.title, self.in_title = [], False
        self.paras, self.cur = [], []

    def _state(self):
        return self.stack[-1][1:3] if self.stack else (False, False)

    def _break(self):
        text = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if text:
            self.paras.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        kept, dropped = self._state()
        if tag == "title":
            self.in_title = True
        if tag in BLOCK:
            self._break()
        elif tag in CELL:
            self.cur.append(" ")
        if tag in VOID:
            return
        kept = kept or bool(self.keep(tag, a))
        dropped = dropped or tag in ("script", "style") or bool(self.drop(tag, a))
        self.stack.append((tag, kept, dropped, bool(self.spaced(tag, a))))

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self._break()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in BLOCK:
            self._break()
        elif tag in CELL:
            self.cur.append(" ")
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                if self.stack[i][3]:
                    self.cur.append(" ")
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
            return
        kept, dropped = self._state()
        if kept and not dropped:
            self.cur.append(data)

    def result(self):
        self._break()
        return re.sub(r"\s+", " ", "".join(self.title)).strip(), self.paras


def lo_page(path):
    # The page's script shows one of several hidden variants of a phrase: the one for the
    # module (WRITER, CALC, ...: all kept, each is real help text) and the one for the system
    # (MAC, WIN, UNIX: dropped, the unmarked default says the same with Ctrl instead of Cmd).
    p = Extract(
        keep=lambda t, a: a.get("id") == "DisplayArea",
        drop=lambda t, a: a.get("class") in ("relatedtopics", "debug", "MAC", "WIN", "UNIX")
        or t == "footer" or a.get("id") in ("SearchFrame", "DonationFrame"),
        # Variants stand side by side in the source: keep a space between them.
        spaced=lambda t, a: "hidden" in a,
    )
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    title, paras = p.result()
    if paras and paras[0] == title:
        paras = paras[1:]
    return title, paras


def gimp_page(path):
    p = Extract(
        keep=lambda t, a: t == "body",
        drop=lambda t, a: a.get("class") in ("navheader", "navfooter"),
    )
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    title, paras = p.result()
    # "3.2. Sfocatura Gaussiana" -> "Sfocatura Gaussiana"; the number says nothing to a reader.
    title = re.sub(r"^(Capitolo |Appendice )?[0-9A-Z]{1,3}(\.[0-9]+)*\.\s+", "", title)
    # The page's own heading repeats the title: keep it once.
    if paras and re.sub(r"^[0-9.]+\s*", "", paras[0]) == title:
        paras = paras[1:]
    return title, paras


def man_page(path):
    env = dict(os.environ, MANWIDTH="2000", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    out = subprocess.run(["man", "--no-hyphenation", "--no-justification", "-l", str(path)],
                         env=env, capture_output=True, text=True, errors="replace").stdout
    out = re.sub(r".\x08", "", out)  # overstrike bold/underline
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    lines = [l.strip() for l in out.splitlines()]
    # The first and last lines are the running header and footer ("ldd(1)  General Commands...").
    lines = [l for l in lines[1:-1] if l]
    name = path.name.removesuffix(".gz")
    title = name
    # "ldd - stampa le dipendenze ..." after NOME makes the title a reader would see.
    for i, l in enumerate(lines[:-1]):
        if l in ("NOME", "NAME"):
            title = f"{name}: {lines[i + 1]}"
            break
    return title, [re.sub(r"\s+", " ", l) for l in lines]


def package_files(pkg, root, suffix):
    """The files of `pkg` under `root` ending in `suffix`, sorted: only what the package ships,
    whatever else is installed on the machine."""
    out = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True, check=True).stdout
    files = [Path(l) for l in out.splitlines() if l.startswith(f"{root}/") and l.endswith(suffix)]
    return sorted(f for f in files if f.is_file())


def man_sources():
    for f in package_files("manpages-it", MAN, ".gz"):
        if f.is_symlink():
            continue
        with gzip.open(f, "rt", encoding="utf-8", errors="replace") as fh:
            head = [l for l in fh.read(4096).splitlines() if l and not l.startswith(('.\\"', "'\\\""))]
        if head and head[0].startswith(".so "):
            continue  # an alias of another page
        yield f, f"man/{f.name.removesuffix('.gz')}.txt", "manpages-it", man_page


def sources():
    for f in package_files("libreoffice-help-it", LO, ".html"):
        rel = f.relative_to(LO).with_suffix(".txt")
        yield f, f"lo/{rel}", "libreoffice-help-it", lo_page
    for f in package_files("gimp-help-it", GIMP, ".html"):
        yield f, f"gimp/{f.stem}.txt", "gimp-help-it", gimp_page
    yield from man_sources()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    for d in (LO, GIMP, MAN):
        if not d.is_dir():
            sys.exit(f"build_corpus: {d} missing; run bench/ranking/setup first")
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    seen, rows, short, dup = {}, [], 0, 0
    for src, rel, pkg, extract in sources():
        title, paras = extract(src)
        body = "\n\n".join(paras)
        if len(body) < MIN_CHARS:
            short += 1
            continue
        digest = hashlib.sha1(body.encode()).hexdigest()
        if digest in seen:
            dup += 1
            continue
        seen[digest] = rel
        text = f"{title or paras[0][:100]}\n\n{body}\n"
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        rows.append((rel, str(src), pkg, str(len(text.encode()))))
    with open(out.parent / "manifest.tsv", "w", encoding="utf-8") as fh:
        fh.write("file\tsource\tpackage\tbytes\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    by_pkg = {}
    for r in rows:
        by_pkg[r[2]] = by_pkg.get(r[2], 0) + 1
    total = sum(int(r[3]) for r in rows)
    print(f"build_corpus: {len(rows)} documents ({', '.join(f'{k} {v}' for k, v in by_pkg.items())}), "
          f"{total / 1e6:.1f} MB, in {out}; left out {short} under {MIN_CHARS} chars, {dup} duplicates",
          file=sys.stderr)


if __name__ == "__main__":
    main()
