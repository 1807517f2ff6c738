//! Every user-visible string goes through the i18n layer: no Chinese text may
//! appear in the app's source outside the i18n layer (`app/i18n/`, the locale
//! tables, and `app/src/i18n/`, the language signal; comments excepted).

use linli_tests::workspace_root;
use std::path::Path;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read app source") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "i18n") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code part of a line: what is left after a `//` comment.
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '/' if !in_string && line[i..].starts_with("//") => return &line[..i],
            _ => {}
        }
    }
    line
}

#[test]
fn no_chinese_text_outside_the_i18n_files() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("app/src"), &mut files);
    assert!(files.len() > 10, "found the app's source files");
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if code_of(line).chars().any(is_cjk) {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "user-visible text outside the i18n layer (app/i18n):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_check_catches_a_literal() {
    assert!(code_of(r#"view! { <p>"记录"</p> }"#).chars().any(is_cjk));
    assert!(!code_of("let x = 1; // 记录").chars().any(is_cjk));
    assert!(code_of(r#"let url = "http://x"; let t = "记录";"#)
        .chars()
        .any(is_cjk));
}

// --- Names read out (issue 16): aria-label, title, placeholder and alt go through i18n ---

/// The `attr="text"` literals in `line` whose text has a letter (any script).
fn literal_names(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["aria-label", "title", "placeholder", "alt"] {
        let pattern = format!("{attr}=\"");
        for (i, _) in line.match_indices(&pattern) {
            let starts_name = line[..i]
                .chars()
                .last()
                .is_none_or(|c| c.is_whitespace() || c == '<' || c == '}');
            let value = line[i + pattern.len()..].split('"').next().unwrap_or("");
            if starts_name && value.chars().any(char::is_alphabetic) {
                found.push(format!("{attr}=\"{value}\""));
            }
        }
    }
    found
}

#[test]
fn no_literal_names_in_the_views() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("app/src/views"), &mut files);
    assert!(files.len() > 10, "found the views");
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            for name in literal_names(code_of(line)) {
                offenders.push(format!("{}:{}: {name}", file.display(), n + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "aria-label/title/placeholder/alt written in a view instead of through i18n:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_names_check_catches_a_literal() {
    assert_eq!(
        literal_names(r#"<button aria-label="Close" title="关闭">"#),
        ["aria-label=\"Close\"", "title=\"关闭\""]
    );
    assert_eq!(
        literal_names(r#"{..} placeholder="Search""#),
        ["placeholder=\"Search\""]
    );
    assert!(literal_names(r#"<input placeholder=move || i18n.t(|s| s.x)/>"#).is_empty());
    assert!(literal_names(r#"<rect data-title="x" aria-label="3"/>"#).is_empty());
}

// --- Refusals (issue 16): every DomainError has a message in every language ---

use linli_i18n::refusal;
use linli_shared::domain::{
    Action, ConcernStatus, DomainError, Field, Level, RecordKind, Rule, UnitKind,
};

/// One of each variant, with every field, record, action and unit it can name.
fn every_refusal() -> Vec<DomainError> {
    // Adding a variant fails to compile here until it is listed below.
    let _listed = |e: &DomainError| match e {
        DomainError::NotInitialized
        | DomainError::AlreadyInitialized(_)
        | DomainError::NoMeeting
        | DomainError::Empty(_)
        | DomainError::AlreadyExists { .. }
        | DomainError::NotFound { .. }
        | DomainError::IllegalTransition { .. }
        | DomainError::NotClaimant { .. }
        | DomainError::AlreadyClaimedBy(_)
        | DomainError::NotHigher { .. }
        | DomainError::AtTopLevel
        | DomainError::SatisfactionOutOfRange(_)
        | DomainError::AlreadySupporting(_)
        | DomainError::NotParticipant(_)
        | DomainError::AlreadyDecided(_)
        | DomainError::AlreadyDone(_)
        | DomainError::OutOfRange { .. }
        | DomainError::NonPositiveAmount(_)
        | DomainError::WrongParent { .. }
        | DomainError::TooLong { .. }
        | DomainError::Withdrawn { .. }
        | DomainError::NotRecorder { .. }
        | DomainError::MergeIntoSelf(_)
        | DomainError::NotAllowed { .. }
        | DomainError::Malformed(_) => {}
    };
    let id = || "a1b2c3".to_string();
    let mut all = vec![
        DomainError::NotInitialized,
        DomainError::AlreadyInitialized(id()),
        DomainError::NoMeeting,
        DomainError::AlreadyClaimedBy(id()),
        DomainError::NotHigher {
            from: Level::Group,
            to: Level::Neighbour,
        },
        DomainError::AtTopLevel,
        DomainError::SatisfactionOutOfRange(0),
        DomainError::AlreadySupporting(id()),
        DomainError::NotParticipant(id()),
        DomainError::AlreadyDecided(id()),
        DomainError::AlreadyDone(id()),
        DomainError::OutOfRange { index: 9, len: 3 },
        DomainError::NonPositiveAmount(-5),
        DomainError::Malformed("unexpected value at /concerns".into()),
        DomainError::MergeIntoSelf(id()),
    ];
    all.extend(Field::ALL.iter().map(|f| DomainError::TooLong {
        field: *f,
        max: 100,
    }));
    all.extend(Field::ALL.iter().map(|f| DomainError::Empty(*f)));
    for kind in RecordKind::ALL {
        all.push(DomainError::AlreadyExists {
            kind: *kind,
            id: id(),
        });
        all.push(DomainError::NotFound {
            kind: *kind,
            id: id(),
        });
        all.push(DomainError::Withdrawn {
            kind: *kind,
            id: id(),
        });
    }
    for action in Action::ALL {
        all.push(DomainError::IllegalTransition {
            action: *action,
            status: ConcernStatus::Closed,
        });
        all.push(DomainError::NotClaimant {
            action: *action,
            claimant: id(),
        });
        all.push(DomainError::NotRecorder {
            action: *action,
            recorded_by: id(),
        });
    }
    all.extend(
        Rule::ALL
            .iter()
            .map(|rule| DomainError::NotAllowed { rule: *rule }),
    );
    for child in UnitKind::ALL {
        all.push(DomainError::WrongParent {
            child: *child,
            expected: child.parent_kind(),
        });
        all.push(DomainError::WrongParent {
            child: *child,
            expected: Some(UnitKind::Area),
        });
    }
    all
}

#[test]
fn every_refusal_has_a_message_in_every_language() {
    let langs = [
        ("zh-Hans", &refusal::ZH_HANS, true),
        ("zh-Hant", &refusal::ZH_HANT, true),
        ("en", &refusal::EN, false),
    ];
    let mut missing = Vec::new();
    for e in every_refusal() {
        for (lang, strings, chinese) in langs {
            let m = refusal::message(strings, &e);
            let english = e.to_string();
            let bad = m.trim().is_empty()
                || m.contains('{')
                || m.contains("a1b2c3")
                || m == english
                || (chinese
                    && (!m.chars().any(is_cjk) || m.chars().any(|c| c.is_ascii_alphabetic())));
            if bad {
                missing.push(format!("{lang}: {e:?} -> {m:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "refusals without a message the user can read:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_refusal_check_catches_english_in_chinese() {
    let e = DomainError::Empty(Field::EscalationReason);
    assert_eq!(
        refusal::message(&refusal::ZH_HANS, &e),
        "请填写上报原因。",
        "the field is named in words the user knows"
    );
    assert!(e.to_string().chars().any(|c| c.is_ascii_alphabetic()));
}

// --- Counts (issue 15): English says "1 photo" and "2 photos", never "photo(s)" ---

#[test]
fn english_counts_agree_with_the_number() {
    let en = linli_i18n::Lang::En.strings();
    let counted = [
        &en.photos.count,
        &en.access.invite_valid,
        &en.concern.supporters,
        &en.concern.ev_feedback,
        &en.ledger.satisfaction_count,
        &en.ledger.visit_saved,
        &en.ledger.visit_concerns,
        &en.ledger.export_rows,
    ];
    for p in counted {
        let (one, two) = (p.of(1), p.of(2));
        assert!(one.contains('1') && two.contains('2'), "{one} / {two}");
        assert_ne!(one, two.replace('2', "1"), "English needs a singular");
        assert!(!one.contains("(s)") && !two.contains("(s)"), "{one}");
    }
    assert_eq!(en.photos.count.of(1), "1 photo");
    assert_eq!(en.photos.count.of(3), "3 photos");
    assert_eq!(en.ledger.visit_concerns.of(0), "0 concerns");
    let zh = linli_i18n::Lang::ZhHans.strings();
    assert_eq!(zh.photos.count.of(1), "1 张照片");
}

// --- Quotas (issue 11): the relay's refusal for a limit, said to the user ---

#[test]
fn every_quota_refusal_has_a_notice_in_every_language() {
    use linli_shared::wire::quota::Quota;
    for lang in [
        linli_i18n::Lang::ZhHans,
        linli_i18n::Lang::ZhHant,
        linli_i18n::Lang::En,
    ] {
        let notices: Vec<&str> = Quota::ALL
            .into_iter()
            .map(|q| lang.strings().quota_notice.of(q))
            .collect();
        for (quota, notice) in Quota::ALL.into_iter().zip(&notices) {
            let chinese = lang != linli_i18n::Lang::En;
            assert!(!notice.trim().is_empty(), "{lang:?} {quota:?}");
            assert!(!notice.contains(quota.prefix()), "{lang:?}: {notice}");
            assert_eq!(
                chinese,
                notice.chars().any(is_cjk) && !notice.chars().any(|c| c.is_ascii_alphabetic()),
                "{lang:?} {quota:?}: {notice}"
            );
        }
        let mut distinct = notices.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            notices.len(),
            "{lang:?}: each limit says its own"
        );
    }
}

// --- Access refusals (issue 11): the relay's refusal of an invite, join, revoke or admin
// change, said to the user instead of the relay's English text ---

#[test]
fn every_access_refusal_has_a_message_in_every_language() {
    use linli_shared::api::ApiRefusal;
    for lang in [
        linli_i18n::Lang::ZhHans,
        linli_i18n::Lang::ZhHant,
        linli_i18n::Lang::En,
    ] {
        let strings = lang.strings();
        let chinese = lang != linli_i18n::Lang::En;
        let texts = ApiRefusal::ALL
            .iter()
            .map(|r| (*r, (strings.access.refusal)(*r)))
            .chain([(ApiRefusal::NotStored, strings.access.refused_other)]);
        for (refusal, text) in texts {
            assert!(!text.trim().is_empty(), "{lang:?} {refusal:?}");
            assert_ne!(text, refusal.message(), "{lang:?}: the relay's text");
            assert!(!text.contains(refusal.code()), "{lang:?}: {text}");
            assert_eq!(
                chinese,
                text.chars().any(is_cjk) && !text.chars().any(|c| c.is_ascii_alphabetic()),
                "{lang:?} {refusal:?}: {text}"
            );
        }
    }
    // The refusals a person meets most say what to do, each its own.
    let zh = linli_i18n::Lang::ZhHans.strings();
    assert!((zh.access.refusal)(ApiRefusal::LastAdmin).contains("至少要保留一位管理员"));
    assert_ne!(
        (zh.access.refusal)(ApiRefusal::InviteUsedUp),
        (zh.access.refusal)(ApiRefusal::InviteExpired)
    );
}

// --- History (issue 12): every part a change can write is named, distinctly, in each language ---

#[test]
fn every_history_part_has_its_own_name_in_every_language() {
    use linli_shared::domain::Part;
    for lang in linli_i18n::Lang::ALL {
        let s = lang.strings();
        let mut names: Vec<&str> = Part::ALL.iter().map(|p| (s.history.part)(*p)).collect();
        assert!(names.iter().all(|n| !n.trim().is_empty()), "{lang:?}");
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            Part::ALL.len(),
            "{lang:?}: two parts share a name"
        );
    }
}
