//! Every text/background colour pair declared in one rule of style/*.css
//! reaches WCAG AA contrast (4.5:1), with `var(--x)` resolved from :root.
//! Native: reads the CSS files the app ships; no browser needed.

use std::collections::BTreeMap;

fn hex(c: &str) -> Option<(f64, f64, f64)> {
    let h = c.trim().strip_prefix('#')?;
    let h = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect::<String>(),
        6 => h.to_string(),
        _ => return None,
    };
    let n = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok().map(f64::from);
    Some((n(0)?, n(2)?, n(4)?))
}

fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// (selector, declarations) of every rule, comments stripped.
fn rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    for chunk in text.split('}') {
        if let Some((sel, body)) = chunk.rsplit_once('{') {
            out.push((sel.trim().to_string(), body.to_string()));
        }
    }
    out
}

fn declared<'a>(body: &'a str, prop: &str) -> Option<&'a str> {
    body.split(';').find_map(|d| {
        let (k, v) = d.split_once(':')?;
        (k.trim() == prop).then_some(v.trim())
    })
}

#[test]
fn every_text_and_background_pair_reaches_4_5_to_1() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../style");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "css") {
            all.extend(rules(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    let mut vars = BTreeMap::new();
    for (_, body) in &all {
        for d in body.split(';') {
            if let Some((k, v)) = d.split_once(':') {
                if k.trim().starts_with("--") {
                    vars.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
    }
    let resolve = |v: &str| {
        let v = v.trim();
        let v = match v.strip_prefix("var(").and_then(|x| x.strip_suffix(')')) {
            Some(name) => vars.get(name.trim()).cloned().unwrap_or_default(),
            None => v.to_string(),
        };
        let v = if v == "#fff" || v == "white" {
            "#ffffff".into()
        } else {
            v
        };
        hex(&v)
    };
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for (sel, body) in &all {
        let (Some(fg), Some(bg)) = (
            declared(body, "color").and_then(resolve),
            declared(body, "background")
                .or_else(|| declared(body, "background-color"))
                .and_then(resolve),
        ) else {
            continue;
        };
        let ratio = contrast(fg, bg);
        checked.push(sel.clone());
        if ratio < 4.5 {
            failures.push(format!("{sel}: {ratio:.2}:1"));
        }
    }
    assert!(
        checked.iter().any(|s| s.contains(".status-open")),
        "the status label colours are among the pairs checked: {checked:?}"
    );
    assert!(failures.is_empty(), "below 4.5:1: {failures:#?}");
}
