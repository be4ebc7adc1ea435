//! Integration tests: they drive the real `passage` binary on real files.

#[macro_use]
mod macros;
mod check;
mod counts;
mod crash;
mod defaults;
mod every_text;
mod feedback;
mod fit;
mod fuzzy;
mod hay;
mod highlights;
mod hostile;
mod html;
mod http;
mod hyperlinks;
mod identifiers;
mod ingest;
mod json;
mod ls;
mod man;
mod mcp;
mod paths;
mod pdf;
mod prose;
mod query;
mod regression;
mod rm;
mod schemathesis;
mod scripts;
mod serve;
mod shown_paths;
mod stopwords;
mod terminal;
mod util;
mod watch;
