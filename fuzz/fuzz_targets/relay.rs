//! The relay core fed arbitrary frame sequences from attacker connections while two honest
//! peers edit a shared document (see `linli_fuzz::Harness` for what is checked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use linli_fuzz::{Harness, Op};

fuzz_target!(|ops: Vec<Op>| {
    let mut harness = Harness::new();
    for op in ops.into_iter().take(64) {
        harness.apply(op);
    }
    harness.check();
});
