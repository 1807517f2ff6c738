//! Residents' personal data outside a concern's own page: phone numbers are
//! masked. [`mask_phones`] is the one function every list, card, agenda,
//! minutes print and export passes free text through.
//!
//! It recognises Chinese phone numbers the way people write them: mobiles
//! (`13812345678`, `138 1234 5678`, `138-1234-5678`, full-width digits),
//! with a `+86` / `86` / `0086` prefix, landlines with an area code
//! (`0731-83812345`, `(0731)83812345`, `010 1234 5678`, with an extension
//! after them) and bare 7–8 digit local numbers. Dates (`2026-11-30`,
//! `2026年11月30日`), house numbers (`3栋201室`), amounts (`12000000元`,
//! `¥12345678`) and ids glued to letters (`a716-446655440000`) are left alone.

/// A phone number found in the text: which digit groups it covers, how many
/// leading digits are a country prefix, and which of its national digits
/// (counted after the prefix) are hidden.
struct Found {
    last_group: usize,
    prefix: usize,
    hide: std::ops::Range<usize>,
}

/// The digit value of an ASCII or full-width digit.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// Characters people put between the parts of one phone number.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}'
            | '\u{a0}'
            | '-'
            | '－'
            | '‐'
            | '‑'
            | '–'
            | '—'
            | '('
            | ')'
            | '（'
            | '）'
            | '.'
    )
}

/// Longest gap of separators still read as one number (`") - "` is three).
const MAX_GAP: usize = 3;

/// Hidden national digits of a mobile (`138****5678`), a landline with area
/// code (`0731-****2345`) or an international landline without the trunk 0.
fn national(d: &[u8]) -> Option<std::ops::Range<usize>> {
    let n = d.len();
    if n == 11 && d[0] == 1 && (3..=9).contains(&d[1]) {
        return Some(3..7);
    }
    if n >= 10 && d[0] == 0 {
        let area = if matches!(d[1], 1 | 2) { 3 } else { 4 };
        if matches!(n - area, 7 | 8) {
            return Some(area..n - 4);
        }
    }
    None
}

/// The phone (if any) made of exactly the digits `d`, with an optional
/// 86 / 0086 country prefix.
fn phone_shape(d: &[u8]) -> Option<(usize, std::ops::Range<usize>)> {
    if let Some(hide) = national(d) {
        return Some((0, hide));
    }
    for prefix in [&[0, 0, 8, 6][..], &[8, 6][..]] {
        if let Some(rest) = d.strip_prefix(prefix) {
            if let Some(hide) = national(rest) {
                return Some((prefix.len(), hide));
            }
            // +86 731 83812345: the area code without its trunk 0.
            if rest.len() >= 9 && rest[0] != 0 {
                let area = if matches!(rest[0], 1 | 2) { 2 } else { 3 };
                if matches!(rest.len() - area, 7 | 8) {
                    return Some((prefix.len(), area..rest.len() - 4));
                }
            }
        }
    }
    None
}

/// Masks every phone number in `text`, keeping its separators, prefix, area
/// code and last four digits: `张阿姨 138 1234 5678` → `张阿姨 138 **** 5678`,
/// `0731-83812345` → `0731-****2345`. Any other run of 7 or more digits is
/// masked too, leaving only its last four (first three as well from 11 on).
pub fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Maximal runs of digits, as char index ranges.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_some() {
            let start = i;
            while i < chars.len() && digit(chars[i]).is_some() {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut hidden = vec![false; chars.len()];
    let mut g = 0;
    while g < groups.len() {
        // The chain: groups joined by short separator gaps.
        let mut end = g;
        while end + 1 < groups.len() {
            let gap = &chars[groups[end].1..groups[end + 1].0];
            if gap.len() > MAX_GAP || !gap.iter().all(|&c| is_separator(c)) {
                break;
            }
            end += 1;
        }
        if !is_id_or_amount(&chars, groups[g].0, groups[end].1) {
            mask_chain(&chars, &groups[g..=end], &mut hidden);
        }
        g = end + 1;
    }
    chars
        .iter()
        .zip(hidden)
        .map(|(&c, h)| if h { '*' } else { c })
        .collect()
}

/// Marks the hidden digits of every phone in one chain of digit groups.
fn mask_chain(chars: &[char], chain: &[(usize, usize)], hidden: &mut [bool]) {
    let digits_of = |range: &[(usize, usize)]| -> Vec<u8> {
        range
            .iter()
            .flat_map(|&(s, e)| chars[s..e].iter().filter_map(|&c| digit(c)))
            .collect()
    };
    let mut g = 0;
    while g < chain.len() {
        let mut best: Option<Found> = None;
        for last in g..chain.len() {
            let d = digits_of(&chain[g..=last]);
            if d.len() > 15 {
                break;
            }
            if let Some((prefix, hide)) = phone_shape(&d) {
                best = Some(Found {
                    last_group: last,
                    prefix,
                    hide,
                });
            }
        }
        let found = best.or_else(|| {
            // A lone run of 7+ digits: a local number or something like one.
            let n = chain[g].1 - chain[g].0;
            (n >= 7).then(|| Found {
                last_group: g,
                prefix: 0,
                hide: if n >= 11 { 3..n - 4 } else { 0..n - 4 },
            })
        });
        match found {
            Some(f) => {
                let mut k = 0;
                for &(s, e) in &chain[g..=f.last_group] {
                    for h in &mut hidden[s..e] {
                        if k >= f.prefix && f.hide.contains(&(k - f.prefix)) {
                            *h = true;
                        }
                        k += 1;
                    }
                }
                g = f.last_group + 1;
            }
            None => g += 1,
        }
    }
}

/// Whether the digits from `start` to `end` are part of an id glued to
/// letters (`e29b-41d4`, `a716-446655440000`) or an amount of money
/// (`¥12345678`, `12000000元`).
fn is_id_or_amount(chars: &[char], start: usize, end: usize) -> bool {
    let after = chars[end..]
        .iter()
        .copied()
        .find(|&c| c != ' ' && c != '\u{3000}');
    let glued_after = match chars.get(end) {
        Some(&'-') | Some(&'_') => chars.get(end + 1),
        c => c,
    };
    if glued_after.is_some_and(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    if after.is_some_and(|c| matches!(c, '元' | '块' | '万' | '亿' | '%' | '％')) {
        return true;
    }
    let before = chars[..start]
        .iter()
        .rev()
        .copied()
        .find(|&c| c != ' ' && c != '\u{3000}');
    if before.is_some_and(|c| matches!(c, '¥' | '￥' | '$')) {
        return true;
    }
    // Letters right before the digits: a label ("Tel13812345678") unless the
    // letters themselves follow a digit, hyphen or underscore (an id).
    let mut k = start;
    while k > 0 && chars[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    k < start && k > 0 && (chars[k - 1].is_ascii_digit() || matches!(chars[k - 1], '-' | '_'))
}
