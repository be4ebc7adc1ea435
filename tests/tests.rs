//! Integration tests: they drive the real `passage` binary on real files.

#[macro_use]
mod macros;
mod check;
mod counts;
mod crash;
mod every_text;
mod feedback;
mod fit;
mod fuzzy;
mod hay;
mod highlights;
mod hostile;
mod hyperlinks;
mod identifiers;
mod http;
mod ingest;
mod json;
mod ls;
mod mcp;
mod paths;
mod prose;
mod query;
mod regression;
mod schemathesis;
mod scripts;
mod serve;
mod shown_paths;
mod stopwords;
mod terminal;
mod util;
