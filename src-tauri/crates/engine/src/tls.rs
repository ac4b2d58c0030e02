//! TLS client configuration: rustls, certificates verified against the OS trust store
//! (rustls-platform-verifier), plus an optional extra CA per account. There is no switch
//! to turn verification off.

use std::path::Path;
use std::sync::Arc;

use rustls::ClientConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::{Error, ErrorKind, Result};

/// A client config trusting the OS store and, when given, the CA certificates in `ca_file`.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
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
