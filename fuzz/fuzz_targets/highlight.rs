//! Fuzz target `highlight`: see `passage_fuzz::highlight` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::highlight(data));
