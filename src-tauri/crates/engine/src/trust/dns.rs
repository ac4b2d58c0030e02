//! DNS for the trust checks: one hickory resolver (the system's name servers, or the one a
//! test or the user names), shared by mail-auth's verifiers and the domain check, and the
//! in-memory caches mail-auth reads before asking it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use mail_auth::common::cache::NoCache;
use mail_auth::{MessageAuthenticator, Parameters, ResolverCache, Txt, MX};

use crate::dns::{fqdn, host_of};
use crate::error::{Error, ErrorKind, Result};

/// The resolver: `server`'s, or the system's (`/etc/resolv.conf`).
pub fn resolver(server: Option<SocketAddr>) -> Result<TokioResolver> {
    crate::dns::resolver(server, Duration::from_secs(5))
}

/// mail-auth over `server` (see [`resolver`]).
pub fn authenticator(server: Option<SocketAddr>) -> Result<MessageAuthenticator> {
    Ok(MessageAuthenticator(resolver(server)?))
}

/// The TXT records at `name`, each one's strings joined; none (or no such name) is empty.
pub async fn txt(resolver: &TokioResolver, name: &str) -> Result<Vec<String>> {
    match resolver.txt_lookup(fqdn(name)).await {
        Ok(lookup) => Ok(lookup
            .iter()
            .map(|txt| {
                txt.txt_data()
                    .iter()
                    .map(|part| String::from_utf8_lossy(part).into_owned())
                    .collect::<String>()
            })
            .collect()),
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
        Err(e) => Err(Error::new(
            ErrorKind::Network,
            format!("looking up TXT {name}: {e}"),
        )),
    }
}

/// The mail exchangers of `domain`, most preferred first; a null MX (".") is `None`.
pub async fn mx(resolver: &TokioResolver, domain: &str) -> Result<Vec<Option<String>>> {
    match resolver.mx_lookup(fqdn(domain)).await {
        Ok(lookup) => {
            let mut records: Vec<(u16, Option<String>)> = lookup
                .iter()
                .map(|mx| (mx.preference(), host_of(mx.exchange())))
                .collect();
            records.sort();
            Ok(records.into_iter().map(|(_, h)| h).collect())
        }
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
        Err(e) => Err(Error::new(
            ErrorKind::Network,
            format!("looking up MX {domain}: {e}"),
        )),
    }
}

/// The addresses of `host` (none: empty); an IP literal (an account set up with
/// `127.0.0.1` or `[::1]` as its server) is its own address, asked of no one.
pub async fn addresses(resolver: &TokioResolver, host: &str) -> Result<Vec<IpAddr>> {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    match resolver.lookup_ip(fqdn(host)).await {
        Ok(lookup) => Ok(lookup.iter().collect()),
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
        Err(e) => Err(Error::new(
            ErrorKind::Network,
            format!("looking up {host}: {e}"),
        )),
    }
}

/// A cache mail-auth reads before asking DNS: per verification (so one message's DKIM,
/// SPF and DMARC share answers), or filled in advance by tests.
pub struct MemCache<K, V>(Mutex<HashMap<K, V>>);

impl<K, V> Default for MemCache<K, V> {
    fn default() -> Self {
        MemCache(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq, V: Clone> ResolverCache<K, V> for MemCache<K, V> {
    fn get<Q>(&self, name: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()
    }

    fn remove<Q>(&self, name: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name)
    }

    fn insert(&self, key: K, value: V, _valid_until: Instant) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, value);
    }
}

/// The TXT, MX and address caches of one verification.
#[derive(Default)]
pub struct Caches {
    pub txt: MemCache<String, Txt>,
    pub mx: MemCache<String, Arc<Vec<MX>>>,
    pub ipv4: MemCache<String, Arc<Vec<Ipv4Addr>>>,
    pub ipv6: MemCache<String, Arc<Vec<Ipv6Addr>>>,
    pub ptr: MemCache<IpAddr, Arc<Vec<String>>>,
}

/// Parameters with every cache of `caches`.
pub type Params<'x, P> = Parameters<
    'x,
    P,
    MemCache<String, Txt>,
    MemCache<String, Arc<Vec<MX>>>,
    MemCache<String, Arc<Vec<Ipv4Addr>>>,
    MemCache<String, Arc<Vec<Ipv6Addr>>>,
    MemCache<IpAddr, Arc<Vec<String>>>,
>;

impl Caches {
    /// A TXT answer known in advance: `name` (no trailing dot) has the record `txt`.
    pub fn add_txt(&self, name: &str, txt: impl Into<Txt>) {
        let key = format!("{}.", name.trim_end_matches('.'));
        self.txt
            .insert(key, txt.into(), Instant::now() + Duration::from_secs(3600));
    }

    pub fn add_ipv4(&self, name: &str, ips: Vec<Ipv4Addr>) {
        let key = format!("{}.", name.trim_end_matches('.'));
        self.ipv4.insert(
            key,
            Arc::new(ips),
            Instant::now() + Duration::from_secs(3600),
        );
    }

    pub fn params<P>(&self, params: P) -> Params<'_, P> {
        let base: Parameters<
            '_,
            P,
            NoCache<_, _>,
            NoCache<_, _>,
            NoCache<_, _>,
            NoCache<_, _>,
            NoCache<_, _>,
        > = Parameters::new(params);
        base.with_txt_cache(&self.txt)
            .with_mx_cache(&self.mx)
            .with_ipv4_cache(&self.ipv4)
            .with_ipv6_cache(&self.ipv6)
            .with_ptr_cache(&self.ptr)
    }
}
