//! Integration tests: they drive the real `passage` binary on real files.

#[macro_use]
mod macros;
mod check;
mod counts;
mod crash;
mod every_text;
mod feedback;
mod fuzzy;
mod hay;
mod highlights;
mod hostile;
mod html;
mod ingest;
mod json;
mod ls;
mod paths;
mod prose;
mod query;
mod regression;
mod scripts;
mod shown_paths;
mod stopwords;
mod terminal;
mod util;
