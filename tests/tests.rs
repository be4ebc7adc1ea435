//! Integration tests: they drive the real `passage` binary on real files.

#[macro_use]
mod macros;
mod crash;
mod hay;
mod highlights;
mod hostile;
mod ingest;
mod json;
mod query;
mod regression;
mod scripts;
mod terminal;
mod util;
