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
