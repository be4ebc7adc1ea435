//! Fuzz target `analyzer`: see `passage_fuzz::analyzer` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::analyzer(data));
