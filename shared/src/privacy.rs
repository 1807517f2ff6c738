//! Residents' personal data shown in lists: phone numbers are masked.

/// Masks every run of 7 or more digits (a phone number) in `text`, keeping the
/// first 3 and last 4 digits: `张阿姨 13812345678` → `张阿姨 138****5678`.
/// Shorter digit runs (house numbers, dates) are left alone.
pub fn mask_phones(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        let n = digits.chars().count();
        if n >= 7 {
            let chars: Vec<char> = digits.chars().collect();
            out.extend(&chars[..3]);
            out.extend(std::iter::repeat_n('*', n - 7));
            out.extend(&chars[n - 4..]);
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::mask_phones;

    #[test]
    fn masks_mobile_and_landline_numbers() {
        assert_eq!(mask_phones("张阿姨 13812345678"), "张阿姨 138****5678");
        assert_eq!(mask_phones("0731-83812345"), "0731-838*2345");
        assert_eq!(
            mask_phones("电话13812345678，住3栋2单元"),
            "电话138****5678，住3栋2单元"
        );
    }

    #[test]
    fn leaves_short_numbers_and_text_alone() {
        assert_eq!(mask_phones("3栋201室"), "3栋201室");
        assert_eq!(mask_phones("2026年11月"), "2026年11月");
        assert_eq!(mask_phones(""), "");
    }

    #[test]
    fn no_digit_of_a_phone_number_middle_survives() {
        let masked = mask_phones("13800001111");
        assert!(!masked.contains("0000"), "{masked}");
        assert_eq!(masked.len(), 11);
    }
}
