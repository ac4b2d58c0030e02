//! Sender trust: what the DKIM, SPF and DMARC checks found, the verdict on who a message
//! is from, look-alike warnings; and the user's own domain checked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Words;

/// What one check (DKIM, SPF, DMARC) concluded, in RFC 8601's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AuthOutcome {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    /// Nothing to check: no signature, no SPF or DMARC record.
    #[default]
    None,
    /// A DNS failure: trying later may give an answer.
    TempError,
    /// A broken record or signature.
    PermError,
}

impl AuthOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthOutcome::Pass => "pass",
            AuthOutcome::Fail => "fail",
            AuthOutcome::SoftFail => "softfail",
            AuthOutcome::Neutral => "neutral",
            AuthOutcome::None => "none",
            AuthOutcome::TempError => "temperror",
            AuthOutcome::PermError => "permerror",
        }
    }

    /// An Authentication-Results result word ("pass", "hardfail"...).
    pub fn parse(s: &str) -> AuthOutcome {
        match s.to_ascii_lowercase().as_str() {
            "pass" => AuthOutcome::Pass,
            "fail" | "hardfail" => AuthOutcome::Fail,
            "softfail" => AuthOutcome::SoftFail,
            "neutral" | "policy" => AuthOutcome::Neutral,
            "temperror" => AuthOutcome::TempError,
            "permerror" => AuthOutcome::PermError,
            _ => AuthOutcome::None,
        }
    }
}

/// Who did the checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TrustSource {
    /// The account's own provider, in the Authentication-Results header it added.
    Provider,
    /// Courriel, here: DKIM, SPF (from the Received chain) and DMARC with mail-auth.
    Local,
    /// Nobody: no trusted header and nothing to verify with (see the summary).
    Unchecked,
}

/// How far the From address is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TrustLevel {
    /// The From domain vouches for the message (DMARC pass, or its own DKIM signature).
    Verified,
    /// Nothing proves or disproves where it came from.
    Unverified,
    /// The From domain's own check failed: it probably did not send this.
    Failed,
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WarningKind {
    /// The From domain looks like another one (a known contact's or a well-known brand's).
    LookalikeDomain,
    /// The display name is a known contact's, but the address is not theirs.
    NameOfContact,
    /// The display name shows an address other than the real one, or a brand's name.
    MisleadingName,
}

/// A reason to be careful, beyond the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustWarning {
    pub kind: WarningKind,
    /// What is imitated: a domain or a contact's address.
    pub imitates: String,
    pub words: Words,
}

/// One check as reported (by the provider's header or done here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuthCheck {
    /// "dkim", "spf", "dmarc", "arc"...
    pub method: String,
    pub result: AuthOutcome,
    /// The domain the check is about (DKIM's d=, SPF's MAIL FROM domain, DMARC's From).
    pub domain: Option<String>,
}

/// Who a message is from, as far as it can be proven: identity, not a "safe" badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustVerdict {
    #[ts(type = "number")]
    pub message_id: i64,
    /// The domain of the From address.
    pub from_domain: String,
    pub level: TrustLevel,
    pub source: TrustSource,
    /// The provider's authserv-id whose header was read (source = provider).
    pub authserv_id: Option<String>,
    /// The domain whose DKIM signature verified, aligned with From when possible.
    pub signed_by: Option<String>,
    pub dkim: AuthOutcome,
    pub spf: AuthOutcome,
    pub dmarc: AuthOutcome,
    pub checks: Vec<AuthCheck>,
    /// "Signed by paypal.com (DMARC pass)", "Could not verify that this came from paypal.com".
    pub summary: Words,
    pub warnings: Vec<TrustWarning>,
    /// When the checks were made (unix seconds); they are cached from then on.
    #[ts(type = "number")]
    pub checked_at: i64,
}

/// How a domain-check finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FindingStatus {
    Ok,
    /// Works, but could be better.
    Warning,
    /// Broken or missing: mail from this domain may be refused or spoofed.
    Error,
    /// For information.
    Info,
}

/// One finding of a domain check, with the fix in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainFinding {
    /// "mx", "spf", "dkim", "dmarc", "mta-sts", "tls-rpt".
    pub topic: String,
    pub status: FindingStatus,
    /// What was found.
    pub words: Words,
    /// What to change, when something should.
    pub fix: Option<Words>,
    /// The record as published, when there is one.
    pub record: Option<String>,
}

/// The user's own domain, checked: what receivers will see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainReport {
    pub domain: String,
    /// False for addresses at a mail provider (gmail.com, outlook.com...), whose DNS the
    /// user cannot change: the settings page is hidden and nothing else is checked.
    pub user_controlled: bool,
    pub findings: Vec<DomainFinding>,
    /// DKIM selectors looked up (from the user's sent mail, or common ones).
    pub dkim_selectors: Vec<String>,
    /// DNS lookups the SPF record costs when evaluated (the limit is 10).
    pub spf_lookups: u32,
}
