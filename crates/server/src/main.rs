//! The `tusk` binary.
fn main() {}
