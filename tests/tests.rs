//! Integration tests: they drive the real `passage` binary on real files.

#[macro_use]
mod macros;
mod crash;
mod every_text;
mod hay;
mod highlights;
mod hostile;
mod ingest;
mod json;
mod prose;
mod query;
mod regression;
mod scripts;
mod util;
