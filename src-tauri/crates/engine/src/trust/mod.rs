//! Sender trust: who a message is really from, shown as identity ("Signed by paypal.com
//! (DMARC pass)", "Could not verify that this came from paypal.com"), never as a "safe"
//! badge; and the user's own domain checked ([`domain`]).
//!
//! - [`authres`]: Authentication-Results parsing and which header to believe (only the
//!   account's own provider's, by authserv-id; the rule is documented there).
//! - [`verify`]: local DKIM, SPF (from the Received chain) and DMARC with mail-auth, when no
//!   trusted header exists.
//! - [`lookalike`]: look-alike domains (confusable characters, edit distance to known
//!   contacts' domains and to well-known brands) and misleading display names.
//! - [`domain`]: `courriel domain-check`: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT.
//! - [`dns`]: the resolver and the caches mail-auth reads.
//! - `own_domain`: the engine's side of the domain check (`Engine::domain_check`).
//! - `selftest`: a message to oneself, read back and checked (`Engine::domain_self_test`).
//!
//! **When the checks run: on open, then cached.** Ingest does not verify. Reading a
//! trusted header costs nothing, but local verification asks DNS for a DKIM key, an SPF
//! tree (up to 10 lookups) and a DMARC record per message: for a first sync of 100,000
//! messages that is hundreds of thousands of queries and minutes of waiting, for mail
//! mostly never opened again, and most old mail is cached with its headers only (the body
//! window), which DKIM cannot verify. So the verdict is computed the first time a message
//! is opened (`Engine::message_trust`, which the reader calls with `show`), its body
//! fetched first if needed, and stored (migration 011, `message_trust`); a verdict with a
//! DNS failure in it is recomputed next time. DKIM keys rotate and are withdrawn, so
//! checking an old message long after it arrived can fail where it passed on arrival: the
//! provider's own header, written on arrival, is preferred whenever it can be trusted.
//!
//! Look-alike warnings are computed on every call (no network, one query of contacts), so
//! a contact added since the message came is taken into account.

pub mod authres;
pub mod dns;
pub mod domain;
pub mod lookalike;
mod own_domain;
mod selftest;
pub mod verify;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;

use crate::api::{AuthCheck, AuthOutcome, TrustLevel, TrustSource, TrustVerdict, Words};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;
use lookalike::Contact;

/// The verdict format stored in `message_trust`; bump it to recompute every cached one.
const VERDICT_VERSION: i64 = 1;

/// Where the checks ask DNS.
#[derive(Debug, Clone, Default)]
pub struct TrustOptions {
    /// A name server to ask instead of the system's (tests, `--dns`).
    pub dns: Option<SocketAddr>,
    /// An extra trust anchor (PEM) for HTTPS fetches (the MTA-STS policy), on top of the
    /// OS store.
    pub ca_file: Option<std::path::PathBuf>,
    /// The HTTPS port instead of 443 (tests).
    pub https_port: Option<u16>,
    /// The DNS blocklists the domain check asks instead of the usual ones (tests).
    pub blocklist_zones: Vec<String>,
}

/// Second-level labels under which registrations happen (`example.co.uk`).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "net", "org", "gov", "ac", "edu", "gouv", "ne", "or", "go", "asso",
];

/// The organizational (registrable) domain, as a suffix of `domain`: the last two
/// labels, or three under a country's `co.`/`com.`/`gouv.`... A short table rather than
/// the Public Suffix List: it errs towards treating two domains as one organization only
/// under those common second levels.
pub fn org_domain_str(domain: &str) -> &str {
    let domain = domain.trim_end_matches('.');
    let labels: Vec<&str> = domain.rsplit('.').collect();
    let keep = match labels.as_slice() {
        [tld, second, _, ..] if tld.len() == 2 && SECOND_LEVEL.contains(second) => 3,
        _ => 2,
    };
    if labels.len() <= keep {
        return domain;
    }
    let cut: usize = labels[..keep].iter().map(|l| l.len() + 1).sum::<usize>() - 1;
    &domain[domain.len() - cut..]
}

/// [`org_domain_str`], lower case.
pub fn org_domain(domain: &str) -> String {
    org_domain_str(domain).to_ascii_lowercase()
}

/// Whether `a` and `b` belong to one organization (DMARC relaxed alignment).
pub fn aligned(a: &str, b: &str) -> bool {
    org_domain(a) == org_domain(b)
}

/// The checks an Authentication-Results header reports.
pub fn checks_from_header(h: &authres::AuthResults) -> Vec<AuthCheck> {
    let domain_of = |v: &str| {
        v.rsplit_once('@')
            .map(|(_, d)| d)
            .unwrap_or(v)
            .to_ascii_lowercase()
    };
    h.results
        .iter()
        .filter(|r| ["dkim", "spf", "dmarc"].contains(&r.method.as_str()))
        .map(|r| {
            let domain = match r.method.as_str() {
                "dkim" => r.prop("header.d").or(r.prop("header.i")),
                "spf" => r.prop("smtp.mailfrom").or(r.prop("smtp.helo")),
                _ => r.prop("header.from"),
            };
            AuthCheck {
                method: r.method.clone(),
                result: r.result,
                domain: domain.map(domain_of).filter(|d| !d.is_empty()),
            }
        })
        .collect()
}

/// The verdict from the checks made (by the provider or here) on mail from `from_domain`.
pub fn judge(
    message_id: i64,
    from_domain: &str,
    source: TrustSource,
    authserv_id: Option<String>,
    checks: Vec<AuthCheck>,
    checked_at: i64,
) -> TrustVerdict {
    let from = from_domain.to_ascii_lowercase();
    let dkim_pass: Vec<&str> = of(&checks, "dkim")
        .filter(|c| c.result == AuthOutcome::Pass)
        .filter_map(|c| c.domain.as_deref())
        .collect();
    let aligned_signer = dkim_pass.iter().find(|d| aligned(d, &from)).copied();
    let (dkim, spf, dmarc) = outcomes(&checks, &from, !dkim_pass.is_empty());
    let level = level(&checks, &from, dmarc, aligned_signer.is_some());
    let signed_by = aligned_signer
        .or(dkim_pass.first().copied())
        .map(str::to_owned);
    let summary = summary(
        &from,
        level,
        source,
        signed_by.as_deref(),
        aligned_signer.is_some(),
        dmarc,
    );
    TrustVerdict {
        message_id,
        from_domain: from,
        level,
        source,
        authserv_id,
        signed_by,
        dkim,
        spf,
        dmarc,
        checks,
        summary,
        warnings: Vec::new(),
        checked_at,
    }
}

/// The checks made by `method`.
fn of<'a>(checks: &'a [AuthCheck], method: &'a str) -> impl Iterator<Item = &'a AuthCheck> {
    checks.iter().filter(move |c| c.method == method)
}

/// One DKIM, SPF and DMARC outcome each for the verdict: DKIM passes when any signature
/// does; a DMARC result about another domain than From's says nothing about this From.
fn outcomes(
    checks: &[AuthCheck],
    from: &str,
    any_dkim_pass: bool,
) -> (AuthOutcome, AuthOutcome, AuthOutcome) {
    let dkim = if any_dkim_pass {
        AuthOutcome::Pass
    } else if of(checks, "dkim").any(|c| c.result == AuthOutcome::Fail) {
        AuthOutcome::Fail
    } else {
        of(checks, "dkim")
            .map(|c| c.result)
            .next()
            .unwrap_or_default()
    };
    let spf = of(checks, "spf")
        .map(|c| c.result)
        .next()
        .unwrap_or_default();
    let dmarc = of(checks, "dmarc")
        .filter(|c| {
            c.domain
                .as_deref()
                .is_none_or(|d| d.eq_ignore_ascii_case(from))
        })
        .map(|c| c.result)
        .next()
        .unwrap_or_default();
    (dkim, spf, dmarc)
}

/// Verified by DMARC or a signature aligned with From; failed when DMARC fails or an
/// aligned signature does not verify.
fn level(checks: &[AuthCheck], from: &str, dmarc: AuthOutcome, aligned_signer: bool) -> TrustLevel {
    let aligned_dkim_failed = of(checks, "dkim").any(|c| {
        c.result == AuthOutcome::Fail && c.domain.as_deref().is_some_and(|d| aligned(d, from))
    });
    if dmarc == AuthOutcome::Pass || aligned_signer {
        TrustLevel::Verified
    } else if dmarc == AuthOutcome::Fail || aligned_dkim_failed {
        TrustLevel::Failed
    } else {
        TrustLevel::Unverified
    }
}

fn summary(
    from: &str,
    level: TrustLevel,
    source: TrustSource,
    signed_by: Option<&str>,
    signer_aligned: bool,
    dmarc: AuthOutcome,
) -> Words {
    let unverified = Words::new(
        format!("Could not verify that this came from {from}"),
        format!("Impossible de vérifier que ce message vient de {from}"),
    );
    match (level, signed_by) {
        (TrustLevel::Verified, Some(d)) if signer_aligned => {
            if dmarc == AuthOutcome::Pass {
                Words::new(
                    format!("Signed by {d} (DMARC pass)"),
                    format!("Signé par {d} (DMARC réussi)"),
                )
            } else {
                Words::new(
                    format!("Signed by {d} (DKIM pass)"),
                    format!("Signé par {d} (DKIM réussi)"),
                )
            }
        }
        (TrustLevel::Verified, _) => Words::new(
            format!("Sent from a server {from} authorizes (DMARC pass)"),
            format!("Envoyé par un serveur autorisé par {from} (DMARC réussi)"),
        ),
        (TrustLevel::Failed, _) => Words::new(
            format!(
                "Could not verify that this came from {from}: it failed {from}'s own check ({})",
                if dmarc == AuthOutcome::Fail { "DMARC fail" } else { "DKIM fail" }
            ),
            format!(
                "Impossible de vérifier que ce message vient de {from} : il échoue à la vérification de {from} ({})",
                if dmarc == AuthOutcome::Fail { "DMARC en échec" } else { "DKIM en échec" }
            ),
        ),
        (TrustLevel::Unverified, Some(other)) => Words::new(
            format!("{} (signed by {other}, not by {from})", unverified.en),
            format!("{} (signé par {other}, pas par {from})", unverified.fr),
        ),
        (TrustLevel::Unverified, None) if source == TrustSource::Unchecked => Words::new(
            format!("{} (the message could not be checked)", unverified.en),
            format!("{} (le message n'a pas pu être vérifié)", unverified.fr),
        ),
        (TrustLevel::Unverified, None) => unverified,
    }
}

impl Engine {
    /// Who message `id` is from, as far as it can be proven (see the module doc): computed
    /// on first call (the body fetched if needed), cached after; warnings always fresh.
    pub async fn message_trust(&self, id: i64) -> Result<TrustVerdict> {
        self.message_trust_with(id, &TrustOptions::default()).await
    }

    pub async fn message_trust_with(
        &self,
        id: i64,
        options: &TrustOptions,
    ) -> Result<TrustVerdict> {
        let cached = self.blocking(move |s| load(s, id)).await?;
        let mut verdict = match cached {
            Some(v) => v,
            None => {
                if !self.store.has_body(id)? {
                    // Opening it fetches the body; offline, the headers still tell
                    // what the provider found.
                    if let Err(e) = self.show(id).await {
                        tracing::info!("checking message {id} without its body: {e}");
                    }
                }
                let v = self.compute_trust(id, options).await?;
                let keep = v.clone();
                if v.source != TrustSource::Unchecked
                    && !v.checks.iter().any(|c| c.result == AuthOutcome::TempError)
                {
                    self.blocking(move |s| save(s, &keep)).await?;
                }
                v
            }
        };
        let (name, address) = self
            .blocking(move |s| {
                let m = s.summary(id)?;
                Ok((m.from_name, m.from_addr))
            })
            .await?;
        let shown = name.clone();
        let contacts = self
            .blocking(move |s| contacts(s, shown.as_deref()))
            .await?;
        verdict.warnings = lookalike::warnings(name.as_deref(), &address, &contacts);
        Ok(verdict)
    }

    async fn compute_trust(&self, id: i64, options: &TrustOptions) -> Result<TrustVerdict> {
        let now = self.now();
        let (summary, headers, raw) = self
            .blocking(move |s| Ok((s.summary(id)?, s.auth_results(id)?, s.raw(id)?)))
            .await?;
        let from_domain = summary
            .from_addr
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        let verdict =
            |source, authserv_id, checks| judge(id, &from_domain, source, authserv_id, checks, now);
        let account_id = summary.account_id;
        let ids = self.blocking(move |s| trusted_ids(s, account_id)).await?;
        if let Some(h) = authres::trusted(headers.lines(), &ids) {
            let checks = checks_from_header(&h);
            return Ok(verdict(TrustSource::Provider, h.authserv_id, checks));
        }
        if raw.is_empty() {
            return Ok(verdict(TrustSource::Unchecked, None, Vec::new()));
        }
        let auth = dns::authenticator(options.dns)?;
        let caches = dns::Caches::default();
        match verify::verify(&auth, &caches, &raw).await {
            Some(local) => Ok(verdict(TrustSource::Local, None, local.checks)),
            None => Ok(verdict(TrustSource::Unchecked, None, Vec::new())),
        }
    }

    /// Set (or, with `None`, clear) the authserv-id of the account's provider: only
    /// Authentication-Results headers with this id are believed. Cached verdicts are
    /// recomputed.
    pub async fn set_authserv_id(&self, email: &str, authserv_id: Option<String>) -> Result<()> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.set_authserv_id(account.id, authserv_id.as_deref()))
            .await
    }
}

fn load(s: &Store, id: i64) -> Result<Option<TrustVerdict>> {
    let json = s.trust_verdict(id, VERDICT_VERSION)?;
    Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
}

fn save(s: &Store, verdict: &TrustVerdict) -> Result<()> {
    let json = serde_json::to_string(&TrustVerdict {
        warnings: Vec::new(),
        ..verdict.clone()
    })
    .map_err(|e| Error::new(ErrorKind::Bug, format!("encoding a verdict: {e}")))?;
    s.save_trust_verdict(
        verdict.message_id,
        VERDICT_VERSION,
        &json,
        verdict.checked_at,
    )
}

/// The ids to believe for the account; learns one from its INBOX when none is set yet.
fn trusted_ids(s: &Store, account_id: i64) -> Result<authres::TrustedIds> {
    let account = s.account(account_id)?;
    let (configured, mut learned) = s.authserv_ids(account_id)?;
    if configured.is_none() && learned.is_none() {
        let tops: Vec<String> = s
            .inbox_auth_results(account_id, 20)?
            .iter()
            .filter_map(|h| authres::top_id(h.lines()))
            .collect();
        learned = authres::learn(&tops);
        if let Some(id) = &learned {
            s.set_learned_authserv_id(account_id, id)?;
        }
    }
    Ok(authres::TrustedIds::for_account(
        &account.email,
        &account.incoming.host,
        configured.as_deref(),
        learned.as_deref(),
    ))
}

/// The people the user writes to (To and Cc of their latest 5,000 sent messages); each
/// with the display name `name` when their own recent messages carry it (the only name a
/// warning about this message can be about: looking up every contact's names would read
/// the whole mailbox on each open).
fn contacts(s: &Store, name: Option<&str>) -> Result<Vec<Contact>> {
    let mut addresses = std::collections::BTreeMap::<String, Vec<String>>::new();
    for (to, cc) in s.sent_recipients(5000)? {
        for a in to.split(',').chain(cc.split(',')) {
            let a = a.trim().to_ascii_lowercase();
            if a.contains('@') {
                addresses.entry(a).or_default();
            }
        }
    }
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        for address in s.senders_named(name, 20_000)? {
            if let Some(names) = addresses.get_mut(&address) {
                names.push(name.to_owned());
            }
        }
    }
    Ok(addresses
        .into_iter()
        .map(|(address, names)| Contact { address, names })
        .collect())
}
