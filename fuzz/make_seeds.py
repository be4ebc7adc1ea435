#!/usr/bin/env python3
"""Writes the seed corpora corpus/<target>/seed-* from the UDHR sample and the tests' fixtures.

Usage (from anywhere): python3 fuzz/make_seeds.py [UDHR_TXT_DIR]
By default UDHR_TXT_DIR is ../shared/data/udhr-multiscript/txt beside the repository.
Each seed starts with the setting bytes its target reads (see fuzz/src/lib.rs), then a
slice of a few KB at most. Existing seed-* files are replaced; other corpus files stay.
"""

import os
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(FUZZ)
UDHR = (sys.argv[1] if len(sys.argv) > 1
        else os.path.join(REPO, "..", "shared", "data", "udhr-multiscript", "txt"))
ARTICLE = os.path.join(REPO, "corpus", "us-proposes-nato-style-guarantees-for-ukraine.txt")

SHERLOCK = """For the Doctor Watsons of this world, as opposed to the Sherlock
Holmeses, success in the province of detective work must always
be, to a very large extent, the result of luck.

Sherlock Holmes can extract a clew from a wisp of straw or a flake
of cigar ash; but Doctor Watson has to have it taken out for him
and dusted, and exhibited clearly, with a label attached.

The problem is that Holmes's method is not the method of the
police, who prefer a confession to a deduction.
"""

MARKDOWN = ("---\ntitle: Front\n---\n# Guide\n\nIntro paragraph\nspans two lines.\n\n## Install\n\n"
            "- first item\n- second item\n  - nested\n\n```sh\ncargo install x\n```\n\n> quoted words\n\n"
            "| a | b |\n|---|---|\n| cell one | cell two |\n\n# Other\n\nLast.\n"
            "\n[^1]: a footnote\n\n<div>\nhtml block\n</div>\n\n+++\ntoml = 1\n+++\n\n1. one\n2. two\n\n"
            "    indented code\n\nSetext\n======\n\n> quote\nlazy line\n\n***\n\nText with ![]() | and `code`.\n")

# Stemmer index in fuzz/src/lib.rs STEMMERS for each UDHR code (1 = none).
STEMMER = {"eng": 0, "fra": 2, "deu_1996": 3, "rus": 4, "ukr": 4, "arb": 5, "ell_monotonic": 6,
           "ell_polytonic": 6, "tur": 7}

# Legacy encodings for the decode seeds: (UDHR code, Python codec, index in ENCODINGS or 0).
LEGACY = [("fra", "cp1252", 0), ("deu_1996", "cp1252", 2), ("spa", "latin-1", 0),
          ("jpn", "shift_jis", 0), ("jpn", "shift_jis", 3), ("jpn", "iso2022_jp", 6),
          ("cmn_hans", "gb18030", 0), ("cmn_hans", "gb18030", 7), ("kor", "euc_kr", 0),
          ("kor", "euc_kr", 8), ("rus", "cp1251", 0), ("rus", "koi8_r", 0),
          ("ell_monotonic", "iso8859_7", 0), ("heb", "cp1255", 0), ("pol", "cp1250", 0),
          ("tur", "cp1254", 0), ("ces", "iso8859_2", 0), ("vie", "cp1258", 0)]

QUERIES = [
    "NATO treaty", '"phone call"', "Ukraine's", "-nato", "guarantee", "cafe", "heading:word",
    "text:treaty", "word^2", "treaty^2.5 nato", '"phrase"^2', "guarant*", "nato~1", "nato~2",
    '"two words"~2', "+security -russia", "a AND (b OR c)", "NOT x", "nato AND NOT russia",
    "US-Russia", "12:30", "人人生而自由", "人人", "ひとしく", "Việt Nam", "İstanbul", "ΑΝΘΡΩΠΟΣ",
    "права человека", "حقوق", "'single quotes'", '"unbalanced', "(unclosed", "closed)", "AND",
    "OR OR", "+", "-", "^", "~", "*", "field:", "unknown:field", "heading:(a b)", "-(a b)",
    "((((deep))))", "a^x", "a~9", '"a b"~x', "\u00ad\u200b", "x's", "Holmes's", "ﬁ ligature",
    "１２３", "Straße", "e\u0301te\u0301", "a" * 300, "(" * 120 + "a" + ")" * 120,
]

# (query, passage) pairs for the highlighter, besides the UDHR ones.
PAIRS = [
    ("guarantee", "Security guarantees followed. The guarantee was NATO-style."),
    ('"phone call"', "After the phone call, a call by phone, and another phone  call."),
    ("Ukraine's", "Ukraine's security; Ukraine’s allies and UKRAINE'S neighbours."),
    ("cafe", "Café, CAFÉ and cafe\u0301 are one word."),
    ("guarant* nato~1", "guarantees, guarantor, natp, nato and NATO."),
    ("人人 自由", "人人生而自由，在尊严和权利上一律平等。"),
    ("US-Russia", "US-Russia talks; US Russia; us-russia."),
    ("12:30 -x", "At 12:30 the meeting started; 12 30 is not it."),
    ("İstanbul straße", "İSTANBUL and istanbul; STRASSE and Straße."),
    ('"a b"~1 c^2', "a x b c a b b a c"),
]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def slice_text(text, start_para, max_bytes):
    """Whole paragraphs from paragraph start_para, up to max_bytes of UTF-8."""
    paras = text.split("\n\n")[start_para:]
    out = ""
    for p in paras:
        cand = out + p + "\n\n"
        if len(cand.encode()) > max_bytes and out:
            break
        out = cand
    b = out.encode()[:max_bytes]
    return b.decode("utf-8", errors="ignore")


def write(target, name, data):
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    for target in ["split", "analyzer", "query", "highlight", "decode", "terminal", "cost"]:
        d = os.path.join(FUZZ, "corpus", target)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.startswith("seed-"):
                    os.remove(os.path.join(d, f))
    codes = sorted(f[:-4] for f in os.listdir(UDHR) if f.endswith(".txt"))
    texts = {c: read(os.path.join(UDHR, c + ".txt")) for c in codes}
    article = read(ARTICLE)

    # split: flags (mode, Markdown), passage limit, text.
    for i, c in enumerate(codes):
        t = slice_text(texts[c], 3, 1500)
        flags = i % 4
        limit = [255, 0, 40, 200][i % 4]  # 2000, none, 40 chars, 1168 chars
        write("split", c, bytes([flags, limit]) + t.encode())
    write("split", "sherlock-auto", b"\x00\xff" + SHERLOCK.encode())
    write("split", "sherlock-crlf", b"\x01\x20" + SHERLOCK.replace("\n", "\r\n").encode())
    write("split", "sherlock-cr", b"\x02\xff" + SHERLOCK.replace("\n", "\r").encode())
    write("split", "article-lines", b"\x00\xff" + article[:3000].encode())
    write("split", "article-limit", b"\x00\x10" + article[:600].encode())
    write("split", "markdown", b"\x04\xff" + MARKDOWN.encode())
    write("split", "markdown-limit", b"\x04\x08" + MARKDOWN.encode())
    write("split", "markdown-udhr", b"\x04\xff" + ("# Title\n\n" + slice_text(texts["eng"], 0, 1200)).encode())

    # analyzer: stemmer, text.
    for c in codes:
        write("analyzer", c, bytes([STEMMER.get(c, 1)]) + slice_text(texts[c], 5, 1000).encode())
    write("analyzer", "article", b"\x00" + article[:1500].encode())
    write("analyzer", "sherlock", b"\x00" + SHERLOCK.encode())
    write("analyzer", "specials", b"\x00" + "Ukraine’s x's ﬁ １２３ Straße İSTANBUL e\u0301 soft\u00adhyphen zero\u200bwidth 12:30 US-Russia".encode())

    # query: flags, query.
    for i, q in enumerate(QUERIES):
        write("query", f"{i:02}", bytes([(i % 2) | ((i % 3) << 1)]) + q.encode())
    for i, c in enumerate(codes):
        words = slice_text(texts[c], 7, 300).split()[:4]
        q = " ".join(words) if i % 2 else '"' + " ".join(words[:2]) + '"'
        write("query", "udhr-" + c, bytes([STEMMER.get(c, 1) << 1]) + q.encode())

    # highlight: flags, snippet width, snippet count, query NUL passage.
    for i, (q, p) in enumerate(PAIRS):
        write("highlight", f"{i:02}", bytes([0, 20 + i, i % 4]) + q.encode() + b"\0" + p.encode())
    for i, c in enumerate(codes):
        p = slice_text(texts[c], 9, 800).strip()
        words = p.split()
        q = " ".join(words[1:3]) if i % 3 else '"' + " ".join(words[2:4]) + '"'
        width = [0, 60, 130, 200][i % 4]
        write("highlight", "udhr-" + c, bytes([STEMMER.get(c, 1) << 1, width, 1 + i % 3])
              + q.encode() + b"\0" + p.encode())
    write("highlight", "article", b"\x00\x50\x02" + b"NATO treaty guarantee*\0" + article[:600].encode())

    # decode: forced encoding, bytes.
    for c in ["eng", "vie", "jpn", "arb", "tha"]:
        t = slice_text(texts[c], 2, 600)
        write("decode", c + "-utf8", b"\x00" + t.encode())
        write("decode", c + "-utf8-bom", b"\x00" + b"\xef\xbb\xbf" + t.encode())
        write("decode", c + "-utf16le", b"\x00" + b"\xff\xfe" + t.encode("utf-16-le"))
        write("decode", c + "-utf16be", b"\x00" + b"\xfe\xff" + t.encode("utf-16-be"))
    for c, codec, forced in LEGACY:
        t = slice_text(texts[c], 2, 600).encode(codec, errors="ignore")
        write("decode", f"{c}-{codec}-{forced}", bytes([forced]) + t)
    write("decode", "binary", b"\x00" + b"ELF\x02\x01\x01\x00\x00text after a NUL")
    write("decode", "invalid-utf8", b"\x01" + b"caf\xe9 \xff\xfe not UTF-8 \xc3")
    write("decode", "empty", b"\x00")

    terminal_seeds(texts)
    cost_seeds(article)


# Hostile text for the terminal printers (issue 16): clear screen, colour, OSC title ending in
# BEL, backspaces, DEL, a C1 CSI, CRLF and lone CR line ends, NUL.
HOSTILE = ("walrus alpha \x1b[2J cleared \x1b[31m red \x1b]0;pwned\x07 title back\x08\x08 del\x7f "
           "csi\u009b31m end\r\nsecond line\rthird line\nfourth\x00 tab\there\u0085nel")


def terminal_seeds(texts):
    """terminal: flags, snippet width, snippet count, highlight mask, path 0xFF heading 0xFF text."""
    def seed(name, flags, width, count, mask, path, heading, text):
        parts = [path.encode()]
        if heading is not None:
            parts.append(heading.encode())
        parts.append(text.encode())
        write("terminal", name, bytes([flags, width, count, mask]) + b"\xff".join(parts))
    seed("hostile", 0, 0, 1, 0b1010_0101, "corpus/evil.txt", None, HOSTILE)
    seed("hostile-colour", 1, 0, 1, 0xFF, "corpus/esc\x1b[31mname.txt", "Head \x1b[2J\x07er", HOSTILE)
    seed("hostile-context", 3, 40, 2, 0b0011_0011, "a\r\nb\x1b]0;t\x07.md", "H", HOSTILE * 3)
    seed("crlf", 1, 20, 3, 0xFF, "crlf.txt", None, "first walrus line\r\nsecond line\r\n\r\nother")
    seed("lone-cr", 0, 0, 1, 0x0F, "cr.txt", None, "cr walrus one\rcr two\r\rcr three\r")
    seed("plain", 1, 60, 1, 0b0100_0001, "plain.txt", "Title > Section", "Plain text with no controls at all.")
    for i, c in enumerate(["eng", "jpn", "arb", "vie"]):
        t = slice_text(texts[c], 3, 500)
        seed("udhr-" + c, i % 4, [0, 30, 90, 200][i], 1 + i % 3, 0x55 << (i % 2), c + ".txt", None, t)


# Words of the cost target's index (COST_WORDS in fuzz/src/lib.rs), for queries that match.
COST_QUERY_WORDS = ["the", "search", "searching", "holmes", "watson", "on-chip", "state-of-the-art",
                    "rare17", "naïve", "日本語", "lamp", "river", "index", "queries", "x86_64"]


def cost_seeds(article):
    """cost: flags (all, strict, documents, context, no text, limit), query."""
    for i, q in enumerate(QUERIES):
        write("cost", f"{i:02}", bytes([(i * 37) % 256]) + q.encode())
    w = COST_QUERY_WORDS
    for i, q in enumerate([" ".join(w), '"the search"', "holm* watsn~2", "heading:lamp river",
                           "+the -rare17 index*", " OR ".join(w), "(" + " AND ".join(w) + ")"]):
        write("cost", f"index-{i}", bytes([(i * 53) % 256]) + q.encode())
    # Pasted text: long queries, the budget's case (issue 12); 600 chars, so that the unoptimised
    # replay stays quick (libFuzzer makes them up to 8 KiB).
    write("cost", "pasted-article", b"\x00" + article[:600].encode())
    write("cost", "pasted-repeats", b"\x01" + " ".join(w * 40)[:600].encode())
    write("cost", "pasted-prefixes", b"\x20" + " ".join(x[:2] + "*" for x in w * 30)[:600].encode())
    write("cost", "pasted-fuzzy", b"\xe0" + " ".join(x + "~2" for x in w * 30)[:600].encode())
    write("cost", "pasted-rare", b"\x00" + " ".join(f"rare{n}" for n in range(997))[:600].encode())


if __name__ == "__main__":
    main()
