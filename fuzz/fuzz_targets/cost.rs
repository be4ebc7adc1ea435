//! Fuzz target `cost`: see `passage_fuzz::cost` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::cost(data));
