//! A minimal HTTPS GET for autoconfig files: HTTP/1.1 over tokio-rustls with our own TLS
//! config ([`crate::tls::client_config`]: the OS trust store plus an optional CA file).
//!
//! Why not reqwest or hyper: an autoconfig file is one small GET, and this costs no
//! dependency beyond what IMAP and SMTP already build (tokio-rustls), where an HTTP stack
//! adds hyper, h2, http-body and friends to a cold build. It also keeps what matters here
//! in plain view: the host is resolved by the discovery's own DNS resolver (so tests can
//! point it at theirs), a certificate failure is reported as such ("certificate not
//! trusted"), `http://` is never fetched (not even as a redirect target), and a response is
//! capped in size. It speaks just enough HTTP: `Connection: close`, Content-Length or
//! chunked bodies, and up to [`MAX_REDIRECTS`] redirects to other `https://` URLs.

use std::net::SocketAddr;
use std::sync::Arc;

use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::dns::{self, Resolver};
use super::tried::Miss;

/// Bigger than any autoconfig file (a few KB), small enough to hold in memory.
const MAX_BODY: usize = 1 << 20;
const MAX_REDIRECTS: usize = 3;

pub(super) struct Client<'a> {
    resolver: &'a Resolver,
    tls: Arc<ClientConfig>,
    /// The port for URLs that name none (443, or a test's).
    default_port: u16,
}

impl<'a> Client<'a> {
    pub fn new(resolver: &'a Resolver, tls: Arc<ClientConfig>, default_port: u16) -> Self {
        Client {
            resolver,
            tls,
            default_port,
        }
    }

    /// The body of a 200 answer to GET `url`, following HTTPS redirects.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, Miss> {
        let mut url = Url::parse(url, self.default_port)?;
        for _ in 0..=MAX_REDIRECTS {
            let response = self.fetch(&url).await?;
            match response.status {
                200 => return Ok(response.body),
                301 | 302 | 303 | 307 | 308 => {
                    let location = response.location.ok_or_else(|| {
                        Miss::refused(format!("HTTP {} without a Location", response.status))
                    })?;
                    url = url.follow(&location, self.default_port)?;
                }
                404 | 410 => return Err(Miss::absent(format!("HTTP {}", response.status))),
                status @ 400..=499 => return Err(Miss::absent(format!("HTTP {status}"))),
                status => return Err(Miss::network(format!("HTTP {status}"))),
            }
        }
        Err(Miss::refused(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }

    async fn fetch(&self, url: &Url) -> Result<Response, Miss> {
        let tcp = self.connect(url).await?;
        let name = ServerName::try_from(url.host.clone())
            .map_err(|_| Miss::refused(format!("{:?} is not a valid host name", url.host)))?;
        let mut tls = tokio_rustls::TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| handshake_failure(&url.host, &e))?;
        let host_header = if url.port == 443 {
            url.host.clone()
        } else {
            format!("{}:{}", url.host, url.port)
        };
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: Courriel/{}\r\n\
             Accept: application/xml, text/xml\r\nConnection: close\r\n\r\n",
            url.path,
            env!("CARGO_PKG_VERSION")
        );
        tls.write_all(request.as_bytes())
            .await
            .map_err(|e| Miss::network(format!("sending the request: {e}")))?;
        let mut raw = Vec::new();
        let read = (&mut tls)
            .take(MAX_BODY as u64 + 16 * 1024)
            .read_to_end(&mut raw)
            .await;
        match read {
            Ok(_) => {}
            // A server that closes without TLS close_notify: what arrived is judged by
            // its framing (Content-Length, chunks) below.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(Miss::network(format!("reading the answer: {e}"))),
        }
        parse_response(&raw).map_err(Miss::refused)
    }

    /// A TCP connection to the first of the host's addresses that accepts.
    async fn connect(&self, url: &Url) -> Result<TcpStream, Miss> {
        let ips = dns::addresses(self.resolver, &url.host).await?;
        let mut last = None;
        for ip in ips {
            match TcpStream::connect(SocketAddr::new(ip, url.port)).await {
                Ok(tcp) => return Ok(tcp),
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Miss::absent(format!(
                "nothing listens on {}:{} (connection refused)",
                url.host, url.port
            )),
            Some(e) => Miss::network(format!("connecting to {}:{}: {e}", url.host, url.port)),
            None => Miss::absent(format!("{} has no address", url.host)),
        })
    }
}

/// A failed TLS handshake: a certificate that does not verify is named as such.
fn handshake_failure(host: &str, e: &std::io::Error) -> Miss {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(why)) => Miss::refused(format!(
            "certificate of {host} not trusted: {}",
            certificate_problem(why)
        )),
        Some(other) => Miss::refused(format!("TLS handshake with {host} failed: {other}")),
        None => Miss::network(format!("TLS handshake with {host}: {e}")),
    }
}

/// A certificate failure in words; rustls's own for the rarer ones.
fn certificate_problem(e: &rustls::CertificateError) -> String {
    use rustls::CertificateError as E;
    match e {
        E::UnknownIssuer => "issued by an authority this computer does not trust".into(),
        E::Expired | E::ExpiredContext { .. } => "expired".into(),
        E::NotValidYet | E::NotValidYetContext { .. } => "not valid yet".into(),
        E::Revoked => "revoked".into(),
        other => other.to_string(),
    }
}

/// An `https://host[:port]/path` URL; nothing else is ever fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

impl Url {
    fn parse(url: &str, default_port: u16) -> Result<Url, Miss> {
        let Some(rest) = strip_prefix_ignore_case(url, "https://") else {
            return Err(if strip_prefix_ignore_case(url, "http://").is_some() {
                Miss::refused(format!("{url} is plain HTTP, never fetched"))
            } else {
                Miss::refused(format!("{url} is not an https:// URL"))
            });
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let path = path.split('#').next().unwrap_or("/");
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| Miss::refused(format!("bad port in {url}")))?,
            ),
            None => (authority, default_port),
        };
        if host.is_empty() || authority.contains('@') || path.contains(char::is_whitespace) {
            return Err(Miss::refused(format!("{url} is not a usable URL")));
        }
        Ok(Url {
            host: host.to_ascii_lowercase(),
            port,
            path,
        })
    }

    /// Where a redirect's Location leads: an absolute https URL or a path on this host.
    fn follow(&self, location: &str, default_port: u16) -> Result<Url, Miss> {
        if location.starts_with('/') && !location.starts_with("//") {
            return Ok(Url {
                path: location.to_owned(),
                ..self.clone()
            });
        }
        Url::parse(location, default_port).map_err(|miss| Miss {
            why: format!("redirected: {}", miss.why),
            ..miss
        })
    }
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[derive(Debug)]
struct Response {
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

/// An HTTP/1.x response read until the connection closed.
fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let end = find(raw, b"\r\n\r\n").ok_or("the answer is not HTTP (no end of headers)")?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| "HTTP headers are not text")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let (version, code) = (parts.next().unwrap_or_default(), parts.next());
    let status = code
        .filter(|_| version.starts_with("HTTP/1."))
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| format!("the answer is not HTTP ({status_line:?})"))?;
    let mut length = None;
    let mut chunked = false;
    let mut location = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length {value:?}"))?,
                );
            }
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "location" => location = Some(value.to_owned()),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(length) = length {
        if length > MAX_BODY {
            return Err(format!("the file is too big ({length} bytes)"));
        }
        rest.get(..length)
            .ok_or("the answer was cut short")?
            .to_vec()
    } else {
        rest.to_vec()
    };
    if body.len() > MAX_BODY {
        return Err("the file is too big".into());
    }
    Ok(Response {
        status,
        location,
        body,
    })
}

/// A chunked body (RFC 9112 §7.1), which must end with its last (empty) chunk.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or("a chunked body was cut short")?;
        let size_line = std::str::from_utf8(&rest[..line_end]).map_err(|_| "bad chunk size")?;
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size {size_hex:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if size > MAX_BODY || body.len() + size > MAX_BODY {
            return Err("the file is too big".into());
        }
        let chunk = rest.get(..size).ok_or("a chunked body was cut short")?;
        body.extend_from_slice(chunk);
        rest = rest
            .get(size..)
            .and_then(|r| r.strip_prefix(b"\r\n"))
            .ok_or("a chunked body was cut short")?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_and_chunked_bodies() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello";
        let r = parse_response(plain).expect("parsed");
        assert_eq!((r.status, r.body.as_slice()), (200, &b"hello"[..]));

        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                        4\r\n<cli\r\na;ext=1\r\nentConfig>\r\n0\r\n\r\n";
        let r = parse_response(chunked).expect("parsed");
        assert_eq!(r.body, b"<clientConfig>");

        let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<cli";
        assert!(parse_response(cut).is_err(), "no last chunk");
        let short = b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello";
        assert!(
            parse_response(short).is_err(),
            "shorter than Content-Length"
        );
        assert!(parse_response(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());

        let moved = b"HTTP/1.1 301 Moved\r\nlocation: https://x.test/a.xml\r\n\r\n";
        let r = parse_response(moved).expect("parsed");
        assert_eq!(r.location.as_deref(), Some("https://x.test/a.xml"));
    }

    #[test]
    fn only_https_urls() {
        let url =
            Url::parse("https://Autoconfig.Example.test/mail/config-v1.1.xml", 443).expect("url");
        assert_eq!(url.host, "autoconfig.example.test");
        assert_eq!(
            (url.port, url.path.as_str()),
            (443, "/mail/config-v1.1.xml")
        );
        let url = Url::parse("https://example.test:8443", 443).expect("url");
        assert_eq!((url.port, url.path.as_str()), (8443, "/"));

        let refused = Url::parse("http://example.test/x.xml", 443).expect_err("plain");
        assert!(refused.why.contains("plain HTTP"), "{}", refused.why);
        let redirect = url
            .follow("http://example.test/x.xml", 443)
            .expect_err("a redirect to plain HTTP");
        assert!(redirect.why.starts_with("redirected: "), "{}", redirect.why);
        let same_host = url.follow("/other.xml", 443).expect("a path");
        assert_eq!(
            (same_host.port, same_host.path.as_str()),
            (8443, "/other.xml")
        );
        assert!(Url::parse("https://user@evil.test/", 443).is_err());
    }
}
