//! Fuzz target `terminal`: see `passage_fuzz::terminal` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::terminal(data));
