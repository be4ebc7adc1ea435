//! Fuzz target `decode`: see `passage_fuzz::decode` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::decode(data));
