//! A scripted IMAP server over TLS, for hostile and broken behaviour no real server shows:
//! it greets, answers CAPABILITY (no AUTH=, so the client uses LOGIN), IDLE (silent
//! until DONE) and every other tagged command with OK, until a command containing the script's trigger word arrives: then it
//! sends the script's bytes and, if asked, keeps sending filler forever, or stays silent.
//! Its certificate comes from a throwaway CA (`https::TestCa`) for `localhost`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use courriel_engine::api::{Account, AuthMethod, Endpoint, Protocol, Security, SentCopy};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinHandle;

use crate::https::TestCa;

/// What the server does, and when.
#[derive(Clone)]
pub struct Script {
    /// The greeting's bytes (normally `* OK ready\r\n`).
    pub greeting: Vec<u8>,
    /// A command containing this word (e.g. `FETCH`) gets `reply` instead of OK; empty:
    /// `reply` right after the greeting, whatever comes.
    pub trigger: &'static str,
    pub reply: Vec<u8>,
    /// After `reply`, send this byte forever (an endless line); None: silence.
    pub then_forever: Option<u8>,
}

impl Script {
    pub fn greeting(bytes: Vec<u8>) -> Script {
        Script {
            greeting: bytes,
            trigger: "",
            reply: Vec::new(),
            then_forever: None,
        }
    }

    pub fn on(trigger: &'static str, reply: Vec<u8>) -> Script {
        Script {
            greeting: b"* OK ready\r\n".to_vec(),
            trigger,
            reply,
            then_forever: None,
        }
    }
}

pub struct HostileImap {
    pub port: u16,
    _ca: TestCa,
    ca_file: String,
    /// Bytes written to the client so far (the endless scripts stop when it hangs up).
    sent: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl HostileImap {
    pub async fn start(script: Script) -> HostileImap {
        let ca = TestCa::new("hostile-imap");
        let id = ca.issue(&["localhost"]);
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&id.cert_file)
            .expect("cert")
            .collect::<Result<_, _>>()
            .expect("certs");
        let key = PrivateKeyDer::from_pem_file(&id.key_file).expect("key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let sent = Arc::new(AtomicU64::new(0));
        let counter = sent.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, script, sent) = (acceptor.clone(), script.clone(), counter.clone());
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        converse(tls, script, sent).await;
                    }
                });
            }
        });
        let ca_file = ca.ca_file.to_string_lossy().into_owned();
        HostileImap {
            port,
            _ca: ca,
            ca_file,
            sent,
            task,
        }
    }

    /// An account pointing at this server (the CA trusted).
    pub fn account(&self) -> Account {
        let endpoint = Endpoint {
            host: "localhost".into(),
            port: self.port,
            security: Security::Tls,
        };
        Account {
            id: 1,
            email: "victim@example.test".into(),
            display_name: String::new(),
            username: "victim@example.test".into(),
            protocol: Protocol::Imap,
            incoming: endpoint.clone(),
            smtp: endpoint,
            ca_file: Some(self.ca_file.clone()),
            sent_copy: SentCopy::Append,
            smtp_plaintext_no_auth: false,
            auth: AuthMethod::default(),
            needs_signin: None,
            settings_source: "test".into(),
            identities: Vec::new(),
        }
    }

    /// How many bytes the server wrote before the client went away.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

impl Drop for HostileImap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn converse<S>(stream: S, script: Script, sent: Arc<AtomicU64>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read).lines();
    let send = |bytes: Vec<u8>| {
        sent.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        bytes
    };
    if write
        .write_all(&send(script.greeting.clone()))
        .await
        .is_err()
    {
        return;
    }
    if !script.trigger.is_empty() {
        while let Ok(Some(line)) = lines.next_line().await {
            let tag = line.split(' ').next().unwrap_or("*").to_owned();
            let answer = if line.to_ascii_uppercase().contains(script.trigger) {
                break;
            } else if line.ends_with(" IDLE") {
                // Idle quietly until DONE (a test of how long silence may last).
                if write
                    .write_all(&send(b"+ idling\r\n".to_vec()))
                    .await
                    .is_err()
                {
                    return;
                }
                while let Ok(Some(done)) = lines.next_line().await {
                    if done == "DONE" {
                        break;
                    }
                }
                format!("{tag} OK IDLE done\r\n")
            } else if line.contains("CAPABILITY") {
                format!("* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n")
            } else {
                format!("{tag} OK done\r\n")
            };
            if write.write_all(&send(answer.into_bytes())).await.is_err() {
                return;
            }
        }
    }
    if write.write_all(&send(script.reply.clone())).await.is_err() {
        return;
    }
    match script.then_forever {
        Some(byte) => {
            let chunk = vec![byte; 16 * 1024];
            while write.write_all(&send(chunk.clone())).await.is_ok() {}
        }
        // Silence, with the connection open, until the client leaves.
        None => while let Ok(Some(_)) = lines.next_line().await {},
    }
}
