//! Fuzz target `pdf`: see `passage_fuzz::pdf` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::pdf(data));
