/// Asserts that two strings are equal, showing both in full when they differ.
macro_rules! eqnice {
    ($expected:expr, $got:expr) => {{
        let expected: &str = &$expected;
        let got: &str = &$got;
        if expected != got {
            panic!(
                "\n\n==== expected ====\n{}\n==== got ====\n{}\n=============\n",
                expected, got
            );
        }
    }};
}
