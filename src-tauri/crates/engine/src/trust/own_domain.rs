//! The engine's side of the domain check: which domains are the user's own (those of its
//! addresses whose DNS the user controls), and what the cache knows that the check needs
//! (the submission host of an account on the domain, the DKIM selectors of its sent mail).

use super::{dns, domain, TrustOptions};
use crate::api::DomainReport;
use crate::engine::Engine;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::store::Store;

impl Engine {
    /// The domains of the user's addresses (accounts and identities) whose DNS the user
    /// controls: what the domain check's settings page lists. Empty when every address is
    /// at a mail provider (gmail.com...), and then the page is hidden.
    pub async fn own_domains(&self) -> Result<Vec<String>> {
        let mut domains = std::collections::BTreeSet::new();
        for account in self.accounts().await? {
            let addresses = std::iter::once(account.email.clone())
                .chain(account.identities.iter().map(|i| i.email.clone()));
            for address in addresses {
                if let Some((_, d)) = address.rsplit_once('@') {
                    let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
                    if domain::user_controlled(&d) {
                        domains.insert(d);
                    }
                }
            }
        }
        Ok(domains.into_iter().collect())
    }

    /// Check the user's own `domain` (see [`domain`]).
    pub async fn domain_check(&self, domain: &str) -> Result<DomainReport> {
        self.domain_check_with(domain, &TrustOptions::default())
            .await
    }

    pub async fn domain_check_with(
        &self,
        domain: &str,
        options: &TrustOptions,
    ) -> Result<DomainReport> {
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        if domain.is_empty() || !domain.contains('.') || domain.contains('@') {
            return Err(Error::new(
                ErrorKind::Config,
                format!("\"{domain}\" is not a domain name (example.org)"),
            ));
        }
        let d = domain.clone();
        let mut inputs = self.blocking(move |s| domain_inputs(s, &d)).await?;
        inputs.ca_file = options.ca_file.clone();
        inputs.https_port = options.https_port;
        inputs.blocklist_zones = options.blocklist_zones.clone();
        let resolver = dns::resolver(options.dns)?;
        let auth = mail_auth::MessageAuthenticator(resolver.clone());
        domain::check(&resolver, &auth, &domain, &inputs)
            .await
            .with_context(|| format!("checking {domain}"))
    }
}

/// The submission host of an account on `domain`, and the DKIM selectors its sent mail
/// carries.
fn domain_inputs(s: &Store, domain: &str) -> Result<domain::Inputs> {
    let smtp_host = s
        .accounts()?
        .into_iter()
        .find(|a| {
            a.email
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
        })
        .map(|a| a.smtp.host);
    let mut selectors = Vec::new();
    for raw in s.sent_from_domain(domain, 20)? {
        for s in domain::selectors_in(&raw, domain) {
            if !selectors.contains(&s) {
                selectors.push(s);
            }
        }
    }
    Ok(domain::Inputs {
        smtp_host,
        selectors,
        ..Default::default()
    })
}
