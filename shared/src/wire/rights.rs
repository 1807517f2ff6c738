//! A change the relay refused under the authority rules (`domain::verify`): the stable start of
//! its `error` message names the rule, so the phone can say it in words.
//!
//! Like a quota refusal, nothing of the change is stored or forwarded and the socket stays open;
//! unlike one, sending it again does not help: the member's role does not allow it.

use crate::domain::Rule;
use crate::wire::DocumentId;

const PREFIX: &str = "rights: ";

/// The relay's `error` message for a change to `doc` that `rule` refused.
pub fn refusal(rule: Rule, doc: &DocumentId) -> String {
    format!("{PREFIX}{rule}: the change to document {doc} is outside the member's rights and was not stored")
}

/// The document an `error` message of [`refusal`] names.
pub fn document_of_error(message: &str) -> Option<DocumentId> {
    message
        .strip_prefix(PREFIX)?
        .split("the change to document ")
        .nth(1)?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// The rule an `error` message reports, if it is a refusal of rights.
pub fn rule_of_error(message: &str) -> Option<Rule> {
    let rest = message.strip_prefix(PREFIX)?;
    Rule::parse(rest.split(':').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_reads_back_from_its_refusal() {
        let doc = DocumentId::from_bytes([7; 16]);
        for rule in Rule::ALL {
            assert_eq!(rule_of_error(&refusal(*rule, &doc)), Some(*rule));
            assert_eq!(document_of_error(&refusal(*rule, &doc)), Some(doc));
        }
        assert_eq!(rule_of_error("quota: documents"), None);
        assert_eq!(rule_of_error("rights: no_such_rule: x"), None);
    }
}
