//! Why the relay refused to store a change: the stable start of its `error` message, so the
//! app can say it in words (the rest of the message is detail for logs and operators).
//!
//! The relay answers a refused change with `error` and keeps the socket open: nothing of the
//! change is stored or forwarded, everything stored before stays, the phone's other documents
//! keep syncing. The phone keeps the change and may try again later (after reconnecting).

/// Which limit a refused change hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// The community's documents hold as many bytes as the relay allows it.
    BytesStored,
    /// The community has as many documents as the relay allows it.
    Documents,
    /// The member sent as many bytes this hour as the relay allows one member.
    MemberBytesPerHour,
    /// The relay's disk is nearly full (it keeps the rest for access changes).
    DiskReserve,
}

impl Quota {
    pub const ALL: [Quota; 4] = [
        Quota::BytesStored,
        Quota::Documents,
        Quota::MemberBytesPerHour,
        Quota::DiskReserve,
    ];

    /// The start of the relay's `error` message for this refusal.
    pub fn prefix(self) -> &'static str {
        match self {
            Quota::BytesStored => "quota: bytes stored",
            Quota::Documents => "quota: documents",
            Quota::MemberBytesPerHour => "quota: bytes per member per hour",
            Quota::DiskReserve => "quota: disk reserve",
        }
    }

    /// The refusal an `error` message reports, if it is one.
    pub fn of_error(message: &str) -> Option<Quota> {
        Quota::ALL
            .into_iter()
            .find(|q| message.starts_with(q.prefix()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_reads_back_from_its_message() {
        for quota in Quota::ALL {
            let message = format!(
                "{}: 10 of 10 bytes; the change was not stored",
                quota.prefix()
            );
            assert_eq!(Quota::of_error(&message), Some(quota));
        }
        assert_eq!(Quota::of_error("membership revoked"), None);
    }
}
