//! The one way the engine builds a DNS resolver (hickory, on tokio) and names what it asks
//! for, shared by autoconfig and the trust checks. hickory-resolver is pinned to 0.25:
//! 0.26 needs Rust 1.88, above the workspace's 1.85.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfigGroup, ResolveHosts, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::{Name, TokioResolver};

use crate::error::{Error, ErrorKind, Result};

/// A resolver asking `server` alone (tests, a user's choice), or the system's name servers
/// (`/etc/resolv.conf`); each question is tried twice, `per_try` each.
pub fn resolver(server: Option<SocketAddr>, per_try: Duration) -> Result<TokioResolver> {
    let mut builder = match server {
        Some(server) => {
            let servers =
                NameServerConfigGroup::from_ips_clear(&[server.ip()], server.port(), true);
            let config = ResolverConfig::from_parts(None, Vec::new(), servers);
            let mut builder =
                TokioResolver::builder_with_config(config, TokioConnectionProvider::default());
            // Only that server answers: not the machine's hosts file either.
            builder.options_mut().use_hosts_file = ResolveHosts::Never;
            builder
        }
        None => TokioResolver::builder_tokio().map_err(|e| {
            Error::new(
                ErrorKind::Network,
                format!("reading the system's DNS settings: {e}"),
            )
        })?,
    };
    let options = builder.options_mut();
    options.timeout = per_try;
    options.attempts = 2;
    Ok(builder.build())
}

/// A name asked fully qualified, so no search domain from resolv.conf is ever appended.
pub fn fqdn(name: &str) -> String {
    format!("{}.", name.trim_end_matches('.'))
}

/// A host name from a record (MX exchange, SRV target): lower case, no trailing dot;
/// `None` for the root ("."), which means "not offered".
pub fn host_of(name: &Name) -> Option<String> {
    if name.is_root() {
        return None;
    }
    Some(name.to_ascii().trim_end_matches('.').to_ascii_lowercase())
}
