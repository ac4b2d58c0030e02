//! TLS client configuration: rustls, certificates verified against the OS trust store
//! (rustls-platform-verifier), plus an optional extra CA per account. There is no switch
//! to turn verification off.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::ClientConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::{Error, ErrorKind, Result};

/// A client config trusting the OS store and, when given, the CA certificates in `ca_file`.
/// Built once per CA file (and again when the file changes): loading the OS trust store
/// takes longer than a whole IMAP resync of an unchanged mailbox.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
    type Key = Option<(std::path::PathBuf, Option<std::time::SystemTime>)>;
    static BUILT: Mutex<Vec<(Key, Arc<ClientConfig>)>> = Mutex::new(Vec::new());
    let key: Key = ca_file.map(|p| {
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        (p.to_path_buf(), modified)
    });
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, config)) = built.iter().find(|(k, _)| *k == key) {
        return Ok(config.clone());
    }
    let config = build_config(ca_file)?;
    built.retain(|(k, _)| k.as_ref().map(|k| &k.0) != key.as_ref().map(|k| &k.0));
    built.push((key, config.clone()));
    Ok(config)
}

fn build_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let extra = match ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
            .map_err(|e| tls_error(format!("loading the OS trust store: {e}")))?;
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?
        .dangerous() // a custom verifier, not an insecure one: it is the platform's
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The certificates in a PEM file; an empty or unreadable file is a `Config` error.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("reading the CA file {}: {e}", path.display()),
            )
        })?;
    if certs.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            format!("the CA file {} holds no certificate", path.display()),
        ));
    }
    Ok(certs)
}

fn tls_error(message: String) -> Error {
    Error::new(ErrorKind::Tls, message)
}

/// The TLS handshake over a connected socket, the certificate checked for `host`.
/// A certificate that does not verify is `Tls`, never a silent fallback.
pub async fn handshake(
    host: &str,
    ca_file: Option<&str>,
    tcp: tokio::net::TcpStream,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let config = client_config(ca_file.map(Path::new))?;
    let name = rustls_pki_types::ServerName::try_from(host.to_owned()).map_err(|_| {
        Error::new(
            ErrorKind::Config,
            format!("{host:?} is not a valid host name"),
        )
    })?;
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| {
            let kind = match crate::error::io_kind(&e) {
                ErrorKind::Network if e.kind() != std::io::ErrorKind::InvalidData => {
                    ErrorKind::Network
                }
                _ => ErrorKind::Tls,
            };
            let words = rustls_error(&e).map_or_else(|| e.to_string(), |r| tls_words(r, host));
            Error::new(kind, format!("TLS handshake: {words}"))
        })
        .inspect(|tls| tracing::debug!(target: "courriel_engine::tls", "{host}: {}", describe(tls)))
}

/// "TLS 1.3, TLS13_AES_256_GCM_SHA384, certificate CN=mail.example.org (verified)": what
/// a trace and the debug log say of a secured link.
pub fn describe(tls: &tokio_rustls::client::TlsStream<tokio::net::TcpStream>) -> String {
    let conn = tls.get_ref().1;
    let version = conn
        .protocol_version()
        .map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1."))
        .unwrap_or_default();
    let cipher = conn
        .negotiated_cipher_suite()
        .map(|c| format!("{:?}", c.suite()))
        .unwrap_or_default();
    let subject = conn
        .peer_certificates()
        .and_then(|chain| chain.first())
        .and_then(|leaf| subject_cn(leaf))
        .unwrap_or_else(|| "?".into());
    format!("{version}, {cipher}, certificate CN={subject} (verified)")
}

/// The rustls error inside an I/O error from the handshake, if that is what it is.
fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()?.downcast_ref::<rustls::Error>()
}

/// A TLS failure in words a person can act on: rustls's own text names enum variants
/// ("invalid peer certificate: UnknownIssuer", "Other(OtherError(CaUsedAsEndEntity))").
pub fn tls_words(e: &rustls::Error, host: &str) -> String {
    use rustls::{CertificateError as C, Error as E};
    let cert = match e {
        E::InvalidCertificate(c) => c,
        E::AlertReceived(alert) => {
            return format!("{host} ended the secure connection (TLS alert: {})", alert_words(*alert))
        }
        E::PeerIncompatible(_) => {
            return format!("{host} and Courriel have no TLS version or cipher in common (Courriel needs TLS 1.2 or newer)")
        }
        other => return format!("the secure connection to {host} failed ({other})"),
    };
    let said = match cert {
        C::UnknownIssuer => format!(
            "the certificate of {host} is not signed by an authority this computer trusts \
             (a self-signed certificate, or a private authority: if it is yours, add it with --ca-file)"
        ),
        C::Expired => format!("the certificate of {host} has expired"),
        C::ExpiredContext { not_after, .. } => format!(
            "the certificate of {host} expired on {}",
            day(not_after.as_secs())
        ),
        C::NotValidYet | C::NotValidYetContext { .. } => format!(
            "the certificate of {host} is not valid yet (is this computer's date right?)"
        ),
        C::NotValidForName => format!("the certificate is not for {host}"),
        C::NotValidForNameContext { presented, .. } if !presented.is_empty() => format!(
            "the certificate is for {}, not for {host}",
            presented.iter().map(|p| bare_name(p)).collect::<Vec<_>>().join(", ")
        ),
        C::NotValidForNameContext { .. } => format!("the certificate is not for {host}"),
        C::Revoked => format!("the certificate of {host} was revoked by its authority"),
        C::BadSignature => format!("the certificate of {host} has a signature that does not verify"),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            format!("the certificate of {host} is not one for a server")
        }
        C::Other(other) if other.to_string().contains("CaUsedAsEndEntity") => format!(
            "the certificate of {host} is a CA certificate used as a server certificate"
        ),
        other => format!("the certificate of {host} could not be verified ({other})"),
    };
    format!("{said}; Courriel does not connect without a valid certificate")
}

/// webpki lists the names a certificate holds in debug form (`DnsName("x.org")`,
/// `IpAddress(1.2.3.4)`): the name itself.
fn bare_name(presented: &str) -> &str {
    match (presented.find('('), presented.rfind(')')) {
        (Some(open), Some(close)) if open < close => presented[open + 1..close].trim_matches('"'),
        _ => presented,
    }
}

/// A unix time as its day, "2026-11-29".
fn day(unix: u64) -> String {
    let (y, m, d) = crate::decode::civil_from_unix(unix as i64);
    format!("{y}-{m:02}-{d:02}")
}

fn alert_words(alert: rustls::AlertDescription) -> &'static str {
    use rustls::AlertDescription as A;
    match alert {
        A::HandshakeFailure => "no common way to secure the connection",
        A::ProtocolVersion => "unsupported TLS version",
        A::BadCertificate | A::CertificateUnknown => "it refused a certificate",
        A::UnrecognisedName => "it does not know this server name",
        A::InternalError => "an internal error on the server",
        _ => "refused",
    }
}

/// The subject's common name of a DER certificate, for the trace. A small DER walk:
/// Certificate → tbsCertificate → (version?, serial, signature, issuer, validity,
/// subject) → the RDN whose OID is 2.5.4.3. `None` when anything is unexpected.
pub fn subject_cn(cert: &[u8]) -> Option<String> {
    let (_, cert_body, _) = der(cert)?;
    let (_, tbs, _) = der(cert_body)?;
    let mut fields = Vec::new();
    let mut rest = tbs;
    while !rest.is_empty() {
        let (tag, value, next) = der(rest)?;
        fields.push((tag, value));
        rest = next;
    }
    let skip = usize::from(fields.first()?.0 == 0xa0); // explicit [0] version
    let subject = fields.get(skip + 4)?.1;
    let mut rdns = subject;
    while !rdns.is_empty() {
        let (_, set, next) = der(rdns)?;
        let (_, attr, _) = der(set)?;
        let (oid_tag, oid, value) = der(attr)?;
        if oid_tag == 0x06 && oid == [0x55, 0x04, 0x03] {
            let (_, text, _) = der(value)?;
            return String::from_utf8(text.to_vec()).ok();
        }
        rdns = next;
    }
    None
}

/// One DER TLV: (tag, value, rest). Definite lengths only, as DER requires.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_failures_read_as_words_without_variant_names() {
        use rustls::CertificateError as C;
        let cases = [
            (
                C::UnknownIssuer,
                "not signed by an authority this computer trusts",
            ),
            (
                C::ExpiredContext {
                    time: rustls_pki_types::UnixTime::since_unix_epoch(
                        std::time::Duration::from_secs(1_800_000_000),
                    ),
                    not_after: rustls_pki_types::UnixTime::since_unix_epoch(
                        std::time::Duration::from_secs(1_764_400_000),
                    ),
                },
                "expired on 2025-11-29",
            ),
            (
                C::NotValidForNameContext {
                    expected: rustls_pki_types::ServerName::try_from("mail.example.org")
                        .expect("name"),
                    presented: vec!["DnsName(\"other.example\")".into()],
                },
                "the certificate is for other.example, not for mail.example.org",
            ),
        ];
        for (error, want) in cases {
            let words = tls_words(
                &rustls::Error::InvalidCertificate(error),
                "mail.example.org",
            );
            assert!(words.contains(want), "{words}");
            assert!(
                !words.contains("Context") && !words.contains("DnsName"),
                "{words}"
            );
        }
        let ca = rustls::Error::InvalidCertificate(C::Other(rustls::OtherError(
            std::sync::Arc::new(std::io::Error::other("CaUsedAsEndEntity")),
        )));
        assert!(tls_words(&ca, "h").contains("a CA certificate used as a server certificate"));
    }

    #[test]
    fn reads_the_common_name_of_a_real_certificate() {
        // The ISRG Root X1 certificate, as every TLS stack ships it.
        let pem = include_bytes!("../testdata/isrg-root-x1.pem");
        let cert = CertificateDer::from_pem_slice(pem).expect("pem");
        assert_eq!(subject_cn(&cert).as_deref(), Some("ISRG Root X1"));
        assert_eq!(
            subject_cn(&[0x30, 0x03, 0x02, 0x01]),
            None,
            "truncated input"
        );
    }
}
