//! `wire::Message::decode` on arbitrary bytes: never panics, and whatever it accepts
//! re-encodes to a frame that decodes to the same message.
//!
//! The seed corpus (`seeds/decode`) is frames real clients sent; it was written by running
//! this target with `LINLI_FUZZ_DUMP_TEMPLATES=seeds/decode -runs=0`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linli_shared::wire::Message;

fuzz_target!(
    init: {
        if let Some(dir) = std::env::var_os("LINLI_FUZZ_DUMP_TEMPLATES") {
            for (i, frame) in linli_fuzz::templates().iter().enumerate() {
                std::fs::write(std::path::Path::new(&dir).join(format!("frame-{i:02}")), frame)
                    .expect("writing a seed");
            }
        }
    },
    |data: &[u8]| {
        if let Ok(message) = Message::decode(data) {
            let again = Message::decode(&message.encode()).expect("a re-encoded message decodes");
            assert_eq!(again, message, "decode(encode(m)) != m");
        }
    }
);
