//! Fuzz target `query`: see `passage_fuzz::query` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::query(data));
