//! Fuzz target `split`: see `passage_fuzz::split` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::split(data));
