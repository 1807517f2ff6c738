//! Why the access API refused a call: a closed list, sent as a stable code beside the English
//! text (for logs and operators), so the app says each refusal in the user's language.

/// Declares the refusals: code (in [`super::ErrorBody::reason`]), HTTP status, English text.
macro_rules! refusals {
    ($( $(#[$meta:meta])* $variant:ident => $code:literal, $status:literal, $text:literal; )+) => {
        /// Why the relay refused an access call.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ApiRefusal {
            $( $(#[$meta])* $variant, )+
        }

        impl ApiRefusal {
            pub const ALL: &'static [ApiRefusal] = &[$(ApiRefusal::$variant),+];

            /// The stable code sent in [`super::ErrorBody::reason`].
            pub fn code(self) -> &'static str {
                match self { $(ApiRefusal::$variant => $code,)+ }
            }

            /// The HTTP status the relay answers with.
            pub fn status(self) -> u16 {
                match self { $(ApiRefusal::$variant => $status,)+ }
            }

            /// The English text, safe to show and log.
            pub fn message(self) -> &'static str {
                match self { $(ApiRefusal::$variant => $text,)+ }
            }

            /// The refusal a code names (`None` for one this build does not know).
            pub fn parse(code: &str) -> Option<ApiRefusal> {
                ApiRefusal::ALL.iter().copied().find(|r| r.code() == code)
            }
        }
    };
}

refusals! {
    /// No credential, or one the relay does not know.
    CredentialRequired => "credential_required", 401, "a valid member credential is required";
    UnknownRole => "unknown_role", 400, "unknown role";
    NotADocumentId => "not_a_document_id", 400, "not a document id";
    MalformedCredential => "malformed_credential", 400, "credential must be <member id: 8 to 32 lower-case hex>.<64 hex>";
    InvalidUses => "invalid_uses", 400, "max_uses must be at least 1 and at most 100";
    InvalidTtl => "invalid_ttl", 400, "ttl_hours must be more than 0 and at most 720";
    RegistrationClosed => "registration_closed", 403, "registration is closed on this relay; ask its operator";
    OperatorOnly => "operator_only", 403, "only the relay's operator (--admin-token) may do this";
    AdminOnly => "admin_only", 403, "only a community admin may do this";
    MembershipRevoked => "membership_revoked", 403, "this membership was revoked";
    /// The invite's token is unknown, cancelled or past its time.
    InviteExpired => "invite_expired", 403, "this invite is unknown or has expired";
    InviteUsedUp => "invite_used_up", 403, "this invite has been used up";
    NoSuchCommunity => "no_such_community", 404, "no such community";
    NoSuchMember => "no_such_member", 404, "no such member in this community";
    NoSuchInvite => "no_such_invite", 404, "no such invite in this community";
    AlreadyRegistered => "already_registered", 409, "this community is already registered";
    MemberIdTaken => "member_id_taken", 409, "this member id is taken";
    CannotRevokeSelf => "cannot_revoke_self", 409, "an admin cannot revoke themselves";
    /// Revoking the member, or its admin role, would leave the community without an admin.
    LastAdmin => "last_admin", 409, "a community keeps at least one admin";
    /// The member was revoked before this change to it.
    AlreadyRevoked => "already_revoked", 409, "this membership was revoked";
    TooManyTickets => "too_many_tickets", 429, "too many unused sync tickets; use one first";
    /// A history view asked about more actor ids than [`super::MAX_AUTHORS_ASKED`].
    TooManyActors => "too_many_actors", 400, "ask about at most 1000 actor ids at a time";
    /// A report link for a unit that is not a 邻 or 组 of the caller's community.
    NoSuchPlace => "no_such_place", 404, "no such neighbourhood or group in this community";
    /// A 邻长 asked for a report link for a 组 (or above).
    PlaceBeyondRole => "place_beyond_role", 403, "a neighbourhood leader makes report links for a neighbourhood only";
    /// A member holds 50 live report links already.
    TooManyReportLinks => "too_many_report_links", 409, "revoke some of your report links first (at most 50 at a time)";
    NoSuchReportLink => "no_such_report_link", 404, "no such report link in this community";
    /// Revoking a report link someone else made, without being an admin.
    NotLinkMaker => "not_link_maker", 403, "only who made the report link, or an admin, may revoke it";
    /// The registry could not be stored (a full disk); nothing changed.
    NotStored => "not_stored", 500, "the relay could not store this change; try again";
    /// The relay could not read the community's document (its storage failing).
    DocumentUnavailable => "document_unavailable", 503, "the community's document could not be read; try again";
}

#[cfg(test)]
mod tests {
    use super::ApiRefusal;

    #[test]
    fn every_refusal_reads_back_from_its_code_and_codes_are_distinct() {
        for refusal in ApiRefusal::ALL {
            assert_eq!(ApiRefusal::parse(refusal.code()), Some(*refusal));
            assert!((400..600).contains(&refusal.status()));
        }
        let mut codes: Vec<_> = ApiRefusal::ALL.iter().map(|r| r.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ApiRefusal::ALL.len());
        assert_eq!(ApiRefusal::parse("from_a_newer_relay"), None);
    }
}
