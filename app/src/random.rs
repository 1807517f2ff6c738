//! Randomness from the browser's `crypto.getRandomValues`.

pub fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("crypto.getRandomValues is available in every supported browser");
    crypto
        .get_random_values_with_u8_array(&mut out)
        .expect("getRandomValues on a small buffer cannot fail");
    out
}

/// A random id as 32 lowercase hex digits (for members, concerns, peers).
pub fn hex_id() -> String {
    bytes::<16>().iter().map(|b| format!("{b:02x}")).collect()
}
