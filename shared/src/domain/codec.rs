//! Compact encoding of immutable facts (timeline events, the status with its
//! claim, resolutions, feedback) as one automerge string each.
//!
//! A fact is never edited after it is written — it is only appended (timeline)
//! or replaced whole (status, resolution, feedback) — so storing its fields as
//! separate map keys buys no merge behaviour and costs one op per field. One
//! string per fact cut a community document's ops by more than half, which is
//! what load time scales with (see BENCHMARKS.md).
//!
//! Format: fields joined by U+001F (unit separator), fixed order per fact, free
//! text last. U+001F inside user text is replaced by a space on write. New
//! optional fields may only be appended.

use crate::domain::{
    Claim, ConcernEvent, ConcernStatus, DomainError, EventKind, Feedback, Level, Resolution,
    TimelineEvent, Withdrawal,
};

const SEP: char = '\u{1f}';

fn join(fields: &[&str]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.extend(f.chars().map(|c| if c == SEP { ' ' } else { c }));
    }
    out
}

struct Fields<'a> {
    what: &'static str,
    parts: std::str::Split<'a, char>,
}

impl<'a> Fields<'a> {
    fn new(what: &'static str, s: &'a str) -> Fields<'a> {
        Fields {
            what,
            parts: s.split(SEP),
        }
    }

    fn malformed(&self, detail: &str) -> DomainError {
        DomainError::Malformed(format!("{}: {detail}", self.what))
    }

    fn str(&mut self) -> Result<&'a str, DomainError> {
        self.parts
            .next()
            .ok_or_else(|| self.malformed("too few fields"))
    }

    /// The last, free-text field; empty when absent.
    fn text(&mut self) -> String {
        self.parts.next().unwrap_or("").to_string()
    }

    fn int(&mut self) -> Result<i64, DomainError> {
        let s = self.str()?;
        s.parse()
            .map_err(|_| self.malformed(&format!("{s:?} is not an integer")))
    }

    fn parsed<T>(&mut self, parse: fn(&str) -> Option<T>) -> Result<T, DomainError> {
        let s = self.str()?;
        parse(s).ok_or_else(|| self.malformed(&format!("unknown value {s:?}")))
    }
}

pub(crate) fn encode_event(e: &TimelineEvent) -> String {
    let at = e.at.to_string();
    let head = [e.action.kind().as_str(), at.as_str(), e.by.as_str()];
    match &e.action {
        ConcernEvent::Recorded
        | ConcernEvent::Claimed
        | ConcernEvent::Released
        | ConcernEvent::Supported => join(&head),
        ConcernEvent::Escalated { from, to, reason } => join(&[
            head[0],
            head[1],
            head[2],
            from.as_str(),
            to.as_str(),
            reason,
        ]),
        ConcernEvent::Resolved { summary: text } | ConcernEvent::Reopened { reason: text } => {
            join(&[head[0], head[1], head[2], text])
        }
        ConcernEvent::Feedback {
            satisfaction,
            comment,
        } => join(&[
            head[0],
            head[1],
            head[2],
            &satisfaction.to_string(),
            comment,
        ]),
        ConcernEvent::Withdrawn {
            duplicate_of,
            reason,
        } => join(&[
            head[0],
            head[1],
            head[2],
            duplicate_of.as_deref().unwrap_or(""),
            reason,
        ]),
    }
}

pub(crate) fn decode_event(s: &str) -> Result<TimelineEvent, DomainError> {
    let mut f = Fields::new("timeline event", s);
    let kind = f.parsed(EventKind::parse)?;
    let at = f.int()?;
    let by = f.str()?.to_string();
    let action = match kind {
        EventKind::Recorded => ConcernEvent::Recorded,
        EventKind::Claimed => ConcernEvent::Claimed,
        EventKind::Released => ConcernEvent::Released,
        EventKind::Supported => ConcernEvent::Supported,
        EventKind::Escalated => ConcernEvent::Escalated {
            from: f.parsed(Level::parse)?,
            to: f.parsed(Level::parse)?,
            reason: f.text(),
        },
        EventKind::Resolved => ConcernEvent::Resolved { summary: f.text() },
        EventKind::Reopened => ConcernEvent::Reopened { reason: f.text() },
        EventKind::Feedback => ConcernEvent::Feedback {
            satisfaction: satisfaction(&mut f)?,
            comment: f.text(),
        },
        EventKind::Withdrawn => ConcernEvent::Withdrawn {
            duplicate_of: Some(f.str()?.to_string()).filter(|d| !d.is_empty()),
            reason: f.text(),
        },
    };
    Ok(TimelineEvent { at, by, action })
}

fn satisfaction(f: &mut Fields<'_>) -> Result<u8, DomainError> {
    let n = f.int()?;
    u8::try_from(n)
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| f.malformed("satisfaction out of range"))
}

/// A concern's state register: its status, with the claim when Claimed
/// (`claimed␟by␟at`), so that status and claimant always change together.
pub(crate) fn encode_state(status: ConcernStatus, claim: Option<&Claim>) -> String {
    match claim {
        Some(c) if status == ConcernStatus::Claimed => {
            join(&[status.as_str(), &c.by, &c.at.to_string()])
        }
        _ => status.as_str().to_string(),
    }
}

pub(crate) fn decode_state(s: &str) -> Result<(ConcernStatus, Option<Claim>), DomainError> {
    let mut f = Fields::new("status", s);
    let status = f.parsed(ConcernStatus::parse)?;
    let claim = if status == ConcernStatus::Claimed {
        Some(Claim {
            by: f.str()?.to_string(),
            at: f.int()?,
        })
    } else {
        None
    };
    Ok((status, claim))
}

pub(crate) fn encode_resolution(r: &Resolution) -> String {
    join(&[&r.by, &r.at.to_string(), r.level.as_str(), &r.summary])
}

pub(crate) fn decode_resolution(s: &str) -> Result<Resolution, DomainError> {
    let mut f = Fields::new("resolution", s);
    Ok(Resolution {
        by: f.str()?.to_string(),
        at: f.int()?,
        level: f.parsed(Level::parse)?,
        summary: f.text(),
    })
}

pub(crate) fn encode_feedback(fb: &Feedback) -> String {
    join(&[
        &fb.by,
        &fb.at.to_string(),
        &fb.satisfaction.to_string(),
        &fb.comment,
    ])
}

pub(crate) fn decode_feedback(s: &str) -> Result<Feedback, DomainError> {
    let mut f = Fields::new("feedback", s);
    Ok(Feedback {
        by: f.str()?.to_string(),
        at: f.int()?,
        satisfaction: satisfaction(&mut f)?,
        comment: f.text(),
    })
}

/// A withdrawal (`by␟at␟duplicate_of␟reason`, duplicate_of empty when none).
pub(crate) fn encode_withdrawal(w: &Withdrawal) -> String {
    join(&[
        &w.by,
        &w.at.to_string(),
        w.duplicate_of.as_deref().unwrap_or(""),
        &w.reason,
    ])
}

pub(crate) fn decode_withdrawal(s: &str) -> Result<Withdrawal, DomainError> {
    let mut f = Fields::new("withdrawal", s);
    Ok(Withdrawal {
        by: f.str()?.to_string(),
        at: f.int()?,
        duplicate_of: Some(f.str()?.to_string()).filter(|d| !d.is_empty()),
        reason: f.text(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_and_separators_in_text_are_neutralised() {
        let events = [
            ConcernEvent::Recorded,
            ConcernEvent::Claimed,
            ConcernEvent::Released,
            ConcernEvent::Supported,
            ConcernEvent::Escalated {
                from: Level::Group,
                to: Level::Town,
                reason: "资金不足".into(),
            },
            ConcernEvent::Resolved { summary: "".into() },
            ConcernEvent::Reopened {
                reason: "又坏了".into(),
            },
            ConcernEvent::Feedback {
                satisfaction: 3,
                comment: "一般".into(),
            },
        ];
        for action in events {
            let e = TimelineEvent {
                at: -5,
                by: "成员 1".into(),
                action,
            };
            assert_eq!(decode_event(&encode_event(&e)).unwrap(), e);
        }
        let e = TimelineEvent {
            at: 1,
            by: "m".into(),
            action: ConcernEvent::Resolved {
                summary: "a\u{1f}b".into(),
            },
        };
        let expected = TimelineEvent {
            action: ConcernEvent::Resolved {
                summary: "a b".into(),
            },
            ..e.clone()
        };
        assert_eq!(decode_event(&encode_event(&e)).unwrap(), expected);
    }

    #[test]
    fn facts_round_trip() {
        let c = Claim {
            by: "ll1".into(),
            at: 42,
        };
        let claimed = encode_state(ConcernStatus::Claimed, Some(&c));
        assert_eq!(
            decode_state(&claimed).unwrap(),
            (ConcernStatus::Claimed, Some(c.clone()))
        );
        assert_eq!(encode_state(ConcernStatus::Open, Some(&c)), "open");
        assert_eq!(
            decode_state("resolved").unwrap(),
            (ConcernStatus::Resolved, None)
        );
        let r = Resolution {
            by: "a".into(),
            at: 7,
            summary: "换灯".into(),
            level: Level::Area,
        };
        assert_eq!(decode_resolution(&encode_resolution(&r)).unwrap(), r);
        let f = Feedback {
            by: "a".into(),
            at: 7,
            satisfaction: 5,
            comment: String::new(),
        };
        assert_eq!(decode_feedback(&encode_feedback(&f)).unwrap(), f);
    }

    #[test]
    fn malformed_facts_are_errors_not_panics() {
        for bad in [
            "",
            "nonsense",
            "claimed",
            "claimed\u{1f}x\u{1f}m",
            "feedback\u{1f}1\u{1f}m\u{1f}9",
        ] {
            assert!(
                matches!(decode_event(bad), Err(DomainError::Malformed(_))),
                "{bad:?}"
            );
        }
        assert!(decode_state("claimed").is_err());
        assert!(decode_state("pending").is_err());
        assert!(decode_feedback("m\u{1f}1\u{1f}0").is_err());
    }
}
