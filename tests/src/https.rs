//! A local HTTPS server for tests that fetch over the web (autoconfig files), and the
//! certificates it shows. Certificates come from a throwaway CA made with the openssl
//! command (as `servers/start` makes its own), one leaf per set of names; a second,
//! unrelated CA makes certificates nobody trusts. The server listens on one free
//! 127.0.0.1 port for every host name, picks the certificate by SNI, serves fixed files by
//! (Host, path) and 404 for the rest, and records each request it answers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

/// A throwaway certificate authority.
pub struct TestCa {
    dir: tempfile::TempDir,
    /// The CA certificate (PEM), to trust.
    pub ca_file: PathBuf,
}

/// A certificate and its key, valid for `names`.
#[derive(Clone)]
pub struct Identity {
    pub names: Vec<String>,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

const OPENSSL_CNF: &str = "\
# A private config so that the system's openssl.cnf adds nothing. rustls/webpki want a
# v3 leaf with a SAN, serverAuth, not a CA; a CA with CA:TRUE and keyCertSign.
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
";

impl TestCa {
    /// A new CA named `name` (no spaces).
    pub fn new(name: &str) -> TestCa {
        let dir = tempfile::Builder::new()
            .prefix("courriel-ca-")
            .tempdir()
            .expect("temp dir for a CA");
        let cnf = dir.path().join("openssl.cnf");
        std::fs::write(&cnf, OPENSSL_CNF).expect("openssl.cnf");
        let ca_file = dir.path().join("ca.pem");
        openssl(
            dir.path(),
            &format!(
                "req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
                 -config openssl.cnf -extensions ca_ext -days 2 -subj /CN={name} \
                 -keyout ca.key -out ca.pem"
            ),
        );
        TestCa { dir, ca_file }
    }

    /// A server certificate for `names` (DNS subject alternative names).
    pub fn issue(&self, names: &[&str]) -> Identity {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let n = SERIAL.fetch_add(1, Ordering::Relaxed);
        let dir = self.dir.path();
        let sans: Vec<String> = names.iter().map(|n| format!("DNS:{n}")).collect();
        let ext = format!(
            "[ leaf_ext ]\nbasicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n\
             subjectAltName = {}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n",
            sans.join(", ")
        );
        std::fs::write(dir.join(format!("leaf{n}.cnf")), ext).expect("leaf extensions");
        openssl(
            dir,
            &format!(
                "req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -config openssl.cnf \
                 -subj /CN={} -keyout leaf{n}.key -out leaf{n}.csr",
                names[0]
            ),
        );
        openssl(
            dir,
            &format!(
                "x509 -req -in leaf{n}.csr -CA ca.pem -CAkey ca.key -set_serial {} -days 2 \
                 -extfile leaf{n}.cnf -extensions leaf_ext -out leaf{n}.pem",
                1000 + n
            ),
        );
        Identity {
            names: names.iter().map(|n| n.to_string()).collect(),
            cert_file: dir.join(format!("leaf{n}.pem")),
            key_file: dir.join(format!("leaf{n}.key")),
        }
    }
}

/// Run openssl in `dir` with whitespace-separated `args` (none contains a space).
fn openssl(dir: &Path, args: &str) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args.split_whitespace())
        .output()
        .expect("running openssl");
    assert!(
        out.status.success(),
        "openssl {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One request the server answered: the Host header, the path and the status sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub host: String,
    pub path: String,
    pub status: u16,
}

pub struct HttpsServer {
    pub port: u16,
    served: Arc<Mutex<Vec<Served>>>,
    task: JoinHandle<()>,
}

impl HttpsServer {
    /// Serve `files` (host, path, body) with the certificates of `identities`, chosen by
    /// the name the client asks for (SNI).
    pub async fn start(identities: &[Identity], files: Vec<(&str, &str, String)>) -> HttpsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut by_name = BTreeMap::new();
        for identity in identities {
            let certs: Vec<CertificateDer<'static>> =
                CertificateDer::pem_file_iter(&identity.cert_file)
                    .expect("cert file")
                    .collect::<Result<_, _>>()
                    .expect("certs");
            let key = PrivateKeyDer::from_pem_file(&identity.key_file).expect("key file");
            let key = provider
                .key_provider
                .load_private_key(key)
                .expect("a usable key");
            let certified = Arc::new(CertifiedKey::new(certs, key));
            for name in &identity.names {
                by_name.insert(name.clone(), certified.clone());
            }
        }
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(BySni(by_name)));
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let files: Arc<BTreeMap<(String, String), String>> = Arc::new(
            files
                .into_iter()
                .map(|(host, path, body)| ((host.to_owned(), path.to_owned()), body))
                .collect(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let served = Arc::new(Mutex::new(Vec::new()));
        let log = served.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, files, log) = (acceptor.clone(), files.clone(), log.clone());
                tokio::spawn(async move {
                    // A client that refuses our certificate ends here, as it should.
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        answer(tls, &files, &log).await;
                    }
                });
            }
        });
        HttpsServer { port, served, task }
    }

    /// Every request answered so far.
    pub fn served(&self) -> Vec<Served> {
        self.served.lock().expect("served log").clone()
    }
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
    mut tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    files: &BTreeMap<(String, String), String>,
    log: &Mutex<Vec<Served>>,
) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
        match tls.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let mut lines = text.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned();
    let host = lines
        .find_map(|l| {
            l.split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("host"))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default();
    let bare_host = host.split(':').next().unwrap_or_default().to_owned();
    let (status, body) = match files.get(&(bare_host, path.clone())) {
        Some(body) => (200, body.as_str()),
        None => (404, "not found\n"),
    };
    let content_type = if status == 200 {
        "text/xml"
    } else {
        "text/plain"
    };
    let response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        if status == 200 { "OK" } else { "Not Found" },
        body.len()
    );
    log.lock()
        .expect("served log")
        .push(Served { host, path, status });
    let _ = tls.write_all(response.as_bytes()).await;
    let _ = tls.shutdown().await;
}

/// The certificate for the name the client asked for.
#[derive(Debug)]
struct BySni(BTreeMap<String, Arc<CertifiedKey>>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.0.get(hello.server_name()?).cloned()
    }
}
