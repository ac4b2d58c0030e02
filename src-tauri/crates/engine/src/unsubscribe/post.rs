//! The RFC 8058 one-click request: `POST` to the list's https URL with the body
//! `List-Unsubscribe=One-Click` (`application/x-www-form-urlencoded`), and nothing else
//! about the user: no cookies (no cookie store), no credentials, no redirect followed (a
//! 3xx is reported with where it pointed, never fetched: it could lead to another scheme
//! or a private address). The host is resolved here and every address checked public
//! (the account's own servers excepted), then the connection pinned to the address
//! checked, so a second lookup cannot swap in another. TLS as everywhere in Courriel: the
//! OS trust store plus the account's CA file, when it has one. Bounded: a connect
//! timeout, a total timeout, and the answer's body never read.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use super::header::{https_host, is_public};
use crate::error::{Error, ErrorKind, Result};

/// The body RFC 8058 §3.1 prescribes.
pub const BODY: &str = "List-Unsubscribe=One-Click";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(30);

/// POST the one-click request to `url`; the HTTP status of a 2xx answer.
pub async fn one_click(url: &str, own_hosts: &[&str], ca_file: Option<&Path>) -> Result<u16> {
    let host = https_host(url)
        .ok_or_else(|| Error::new(ErrorKind::Config, format!("{url} is not an https address")))?;
    let port = port_of(url);
    let address = resolve(&host, port, own_hosts).await?;
    let tls = crate::tls::client_config(ca_file)?;
    let client = reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&host, address)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .user_agent(concat!("Courriel/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::new(ErrorKind::Config, format!("setting up HTTPS: {e}")))?;
    let answer = client
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(BODY)
        .send()
        .await
        .map_err(|e| failed(&host, &e))?;
    let status = answer.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let words = if status.is_redirection() {
        let to = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(|l| crate::inert::terminal(&l.chars().take(200).collect::<String>()))
            .unwrap_or_default();
        format!("{host} answered with a redirect ({to}) instead of unsubscribing you: open the list's page to finish")
    } else {
        format!("{host} refused the request (HTTP {})", status.as_u16())
    };
    Err(Error::new(ErrorKind::Rejected, words))
}

/// The URL's port (443 when it names none).
fn port_of(url: &str) -> u16 {
    let rest = &url[8.min(url.len())..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let after_host = authority.rsplit_once(']').map_or(authority, |(_, r)| r);
    after_host
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(443)
}

/// The host's first address, every one of them checked public unless the host is the
/// account's own server.
async fn resolve(host: &str, port: u16, own_hosts: &[&str]) -> Result<SocketAddr> {
    let lookup = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::lookup_host((host, port)));
    let addresses: Vec<SocketAddr> = lookup
        .await
        .map_err(|_| {
            Error::new(
                ErrorKind::Network,
                format!("looking up {host} took too long"),
            )
        })?
        .map_err(|e| Error::new(ErrorKind::Network, format!("could not find {host}: {e}")))?
        .collect();
    let own = own_hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
    if !own && addresses.iter().any(|a| !is_public(a.ip())) {
        return Err(Error::new(
            ErrorKind::Config,
            format!("{host} is on a private or local network: Courriel does not send it requests from a message"),
        ));
    }
    addresses
        .into_iter()
        .next()
        .ok_or_else(|| Error::new(ErrorKind::Network, format!("{host} has no address")))
}

/// A failed request in words: the certificate named when it was the certificate.
fn failed(host: &str, e: &reqwest::Error) -> Error {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Error::new(ErrorKind::Tls, crate::tls::tls_words(tls, host));
        }
        source = s.source();
    }
    let kind = ErrorKind::Network;
    if e.is_timeout() {
        return Error::new(kind, format!("{host} did not answer in time"));
    }
    Error::new(kind, format!("could not reach {host}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_urls() {
        assert_eq!(port_of("https://example.com/u"), 443);
        assert_eq!(port_of("https://example.com:8443/u?x=1"), 8443);
        assert_eq!(port_of("https://[::1]:9443/"), 9443);
        assert_eq!(port_of("https://[::1]/"), 443);
    }

    #[tokio::test]
    async fn a_private_address_is_refused_before_any_connection() {
        let e = one_click("https://localhost:1/u", &[], None)
            .await
            .expect_err("loopback");
        assert_eq!(e.kind, ErrorKind::Config, "{}", e.message);
        assert!(
            e.message.contains("private or local network"),
            "{}",
            e.message
        );
        let e = one_click("http://example.com/u", &[], None)
            .await
            .expect_err("plain http");
        assert!(e.message.contains("not an https address"), "{}", e.message);
    }
}
