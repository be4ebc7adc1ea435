//! Small corpora kept as constants, and the path of the sample corpus.

use std::path::PathBuf;

/// The sample article (the embedded default corpus), as a path in this repo.
pub fn sample_article() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join("us-proposes-nato-style-guarantees-for-ukraine.txt")
}

/// The sample article's file name in a test's `corpus/` folder.
pub const ARTICLE: &str = "corpus/us-proposes-nato-style-guarantees-for-ukraine.txt";

/// Three paragraphs separated by blank lines.
pub const SHERLOCK: &str = "\
For the Doctor Watsons of this world, as opposed to the Sherlock
Holmeses, success in the province of detective work must always
be, to a very large extent, the result of luck.

Sherlock Holmes can extract a clew from a wisp of straw or a flake
of cigar ash; but Doctor Watson has to have it taken out for him
and dusted, and exhibited clearly, with a label attached.

The problem is that Holmes's method is not the method of the
police, who prefer a confession to a deduction.
";

/// Writes `files` text files of `paragraphs` paragraphs each under `dir/rel`, with
/// deterministic pseudo-random words; returns the number of passages written.
pub fn synthetic_corpus(
    dir: &std::path::Path,
    rel: &str,
    files: usize,
    paragraphs: usize,
) -> usize {
    const WORDS: &[&str] = &[
        "river", "memory", "kernel", "light", "water", "system", "treaty", "horse", "cache",
        "page", "engine", "signal", "forest", "harbor", "copper", "violet", "summit", "lantern",
        "meadow", "quartz", "ember", "glacier", "saddle", "thimble", "orchard", "beacon", "cobalt",
        "drift",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for f in 0..files {
        let mut text = String::new();
        for p in 0..paragraphs {
            for l in 0..3 {
                for w in 0..10 {
                    if w > 0 {
                        text.push(' ');
                    }
                    text.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
                }
                text.push_str(if l == 2 { ".\n" } else { "\n" });
            }
            text.push_str(&format!("marker{f}x{p}\n\n"));
        }
        let path = dir.join(rel).join(format!("f{f:05}.txt"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    files * paragraphs
}

/// Three passages with multi-byte text, each naming `Müller`: 40, 240 and 46
/// characters (44, 256 and 49 bytes). Ranked for `müller`: passages 0, 2, 1.
pub const FIRMEN: &str = "\
Müller & Söhne liefern Öl an Müllers Co.

Die Brüder Müller gründeten die Firma 1901 in Köln; später übernahm Jürgen Müller die Leitung, führte sie über drei Jahrzehnte durch Krisen und Kriege, und gab sie erst im hohen Alter an seine Töchter weiter, die das Geschäft bis heute führen.

Ölförderung im Nordmeer: Müller war nie dabei.
";
