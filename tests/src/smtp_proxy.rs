//! An SMTP-aware proxy in front of the real Postfix's implicit-TLS submission port, that
//! parks one conversation at a chosen instant: before MAIL FROM, at DATA, or after the
//! final dot (the server's reply is held back). It ends TLS with the client, showing the
//! test servers' own certificate (the client trusts it through the test CA), and opens its
//! own TLS to Postfix, so it reads the commands in clear. A test waits for `holding`, then
//! acts (starts a second process on the same data directory) while the send is parked.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::Servers;

/// Where the conversation is parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Before MAIL FROM goes to the server.
    BeforeMail,
    /// Before DATA goes to the server.
    AtData,
    /// The final dot went to the server; its reply is held back.
    AfterDot,
}

/// A running proxy; it serves any number of connections and parks the first one that
/// reaches the armed hold point, once per `arm`.
pub struct HoldingProxy {
    pub port: u16,
    gate: Arc<Gate>,
}

struct Gate {
    armed: Mutex<Option<Hold>>,
    length: Duration,
    began: Notify,
    /// Until when server→client bytes wait (the AfterDot hold).
    downstream_until: Mutex<Option<Instant>>,
}

impl Gate {
    /// Whether this is the hold point, the first time it is reached.
    fn take(&self, at: Hold) -> bool {
        let mut armed = self.armed.lock().unwrap_or_else(|p| p.into_inner());
        let hit = *armed == Some(at);
        if hit {
            *armed = None;
        }
        hit
    }

    async fn park(&self) {
        self.began.notify_one();
        tokio::time::sleep(self.length).await;
    }

    fn park_downstream(&self) {
        *self
            .downstream_until
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(Instant::now() + self.length);
        self.began.notify_one();
    }

    async fn wait_downstream(&self) {
        let until = *self
            .downstream_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(until) = until {
            tokio::time::sleep_until(until.into()).await;
        }
    }
}

impl HoldingProxy {
    /// A proxy to `servers`' SUBMISSIONS_PORT that parks for `length` once armed.
    pub async fn start(servers: &Servers, length: Duration) -> HoldingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("proxy addr").port();
        let tls = Tls::of(servers);
        let target = servers.port("SUBMISSIONS_PORT");
        let gate = Arc::new(Gate {
            armed: Mutex::new(None),
            length,
            began: Notify::new(),
            downstream_until: Mutex::new(None),
        });
        let shared = gate.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (tls, gate) = (tls.clone(), shared.clone());
                tokio::spawn(async move { relay(client, tls, target, gate).await });
            }
        });
        HoldingProxy { port, gate }
    }

    /// Park the next conversation that reaches `hold`.
    pub fn arm(&self, hold: Hold) {
        *self.gate.armed.lock().unwrap_or_else(|p| p.into_inner()) = Some(hold);
    }

    /// Resolves once a conversation is parked at the hold point.
    pub async fn holding(&self) {
        self.gate.began.notified().await;
    }
}

#[derive(Clone)]
struct Tls {
    acceptor: TlsAcceptor,
    connector: TlsConnector,
}

impl Tls {
    fn of(servers: &Servers) -> Tls {
        let ca_file = Path::new(servers.get("CA_FILE"));
        let dir = ca_file.parent().expect("the CA's directory");
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(dir.join("server.pem"))
                .expect("server.pem")
                .collect::<Result<_, _>>()
                .expect("server certificate");
        let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).expect("server.key");
        let server = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("proxy TLS server config");
        let mut roots = rustls::RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(ca_file).expect("CA file") {
            roots.add(ca.expect("CA certificate")).expect("add CA");
        }
        let client = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Tls {
            acceptor: TlsAcceptor::from(Arc::new(server)),
            connector: TlsConnector::from(Arc::new(client)),
        }
    }
}

async fn relay(client: TcpStream, tls: Tls, target: u16, gate: Arc<Gate>) {
    let Ok(client) = tls.acceptor.accept(client).await else {
        return;
    };
    let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
        return;
    };
    let name = ServerName::try_from("localhost").expect("server name");
    let Ok(server) = tls.connector.connect(name, server).await else {
        return;
    };
    let (client_read, mut client_write) = tokio::io::split(client);
    let (mut server_read, mut server_write) = tokio::io::split(server);
    let down_gate = gate.clone();
    let down = tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n @ 1..) = server_read.read(&mut buf).await {
            down_gate.wait_downstream().await;
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
            client_write.flush().await.ok();
        }
        client_write.shutdown().await.ok();
    });
    let mut lines = BufReader::new(client_read);
    let (mut line, mut in_data) = (Vec::new(), false);
    loop {
        line.clear();
        if !matches!(lines.read_until(b'\n', &mut line).await, Ok(1..)) {
            break;
        }
        let upper = line.to_ascii_uppercase();
        if in_data {
            if line == b".\r\n" {
                in_data = false;
                if gate.take(Hold::AfterDot) {
                    gate.park_downstream();
                }
            }
        } else if upper.starts_with(b"MAIL FROM") && gate.take(Hold::BeforeMail) {
            gate.park().await;
        } else if upper == b"DATA\r\n" {
            in_data = true;
            if gate.take(Hold::AtData) {
                gate.park().await;
            }
        }
        if server_write.write_all(&line).await.is_err() {
            break;
        }
        server_write.flush().await.ok();
    }
    server_write.shutdown().await.ok();
    down.await.ok();
}
