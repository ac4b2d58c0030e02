//! A private DNS server for tests: Debian's dnsmasq (package `dnsmasq-base`) on 127.0.0.1
//! and a free high port, answering only the records a test gives it (A, SRV, MX, TXT) and
//! NXDOMAIN for every other name under `.test` (`--no-resolv --no-hosts`, `local=/test/`:
//! it never forwards a query anywhere). It logs each query it gets, so a test can prove
//! that a lookup asked nothing. Stopped on drop.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One record the server answers.
pub enum Record {
    /// `name` has IPv4 address `ip`.
    A(&'static str, Ipv4Addr),
    /// An SRV record; `target: None` is the "." target, "service not offered".
    Srv {
        name: &'static str,
        target: Option<&'static str>,
        port: u16,
        priority: u16,
        weight: u16,
    },
    /// `domain`'s mail exchanger `host` with `preference`.
    Mx(&'static str, &'static str, u16),
    /// A TXT record at `name` (SPF, DKIM key, DMARC...): dnsmasq's `txt-record`, which
    /// splits text longer than 255 bytes into strings of 255 as DNS requires. The text is
    /// owned so a test can publish a key it made; it may not contain `"` or `\`.
    Txt(&'static str, String),
}

pub struct Dnsmasq {
    /// Where to send queries (UDP and TCP).
    pub addr: SocketAddr,
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Dnsmasq {
    /// Start a server for `records`; panics with dnsmasq's output if it cannot start.
    pub fn start(records: &[Record]) -> Dnsmasq {
        let dir = tempfile::Builder::new()
            .prefix("courriel-dns-")
            .tempdir()
            .expect("temp dir for dnsmasq");
        let bin = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("dnsmasq is missing: apt-get install dnsmasq-base (scripts/ensure-deps test)");
        let mut last_log = String::new();
        // A free port can be taken between the probe and dnsmasq's bind: try a few.
        for _ in 0..5 {
            let port = free_port();
            let conf = dir.path().join("dnsmasq.conf");
            std::fs::write(&conf, config(port, records)).expect("write dnsmasq.conf");
            let log = dir.path().join("dnsmasq.log");
            let log_file = std::fs::File::create(&log).expect("dnsmasq.log");
            let mut child = Command::new(bin)
                .arg("--keep-in-foreground")
                .arg(format!("--conf-file={}", conf.display()))
                .arg("--pid-file=")
                .arg("--log-facility=-")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log_file)
                .spawn()
                .expect("running dnsmasq");
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break; // exited: see why below
                }
                if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    return Dnsmasq {
                        addr,
                        child,
                        log,
                        _dir: dir,
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            last_log = std::fs::read_to_string(&log).unwrap_or_default();
            if !last_log.contains("in use") {
                break;
            }
        }
        panic!("dnsmasq did not start:\n{last_log}");
    }

    /// The queries received so far, as dnsmasq logged them ("query[SRV] _imaps._tcp.x.test").
    pub fn queries(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(": query[").map(|(_, q)| format!("query[{q}")))
            .map(|q| q.split(" from ").next().unwrap_or_default().to_owned())
            .collect()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config(port: u16, records: &[Record]) -> String {
    let mut conf = format!(
        "port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n\
         local=/test/\nlog-queries\n"
    );
    for record in records {
        let line = match record {
            Record::A(name, ip) => format!("host-record={name},{ip}"),
            Record::Srv {
                name,
                target: Some(target),
                port,
                priority,
                weight,
            } => format!("srv-host={name},{target},{port},{priority},{weight}"),
            Record::Srv {
                name, target: None, ..
            } => format!("srv-host={name}"),
            Record::Mx(domain, host, preference) => format!("mx-host={domain},{host},{preference}"),
            Record::Txt(name, text) => {
                assert!(
                    !text.contains(['"', '\\']),
                    "TXT text for dnsmasq may not contain quotes or backslashes: {text}"
                );
                format!("txt-record={name},\"{text}\"")
            }
        };
        conf.push_str(&line);
        conf.push('\n');
    }
    conf
}

/// A port free for both UDP and TCP on 127.0.0.1 right now.
fn free_port() -> u16 {
    loop {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        let port = udp.local_addr().expect("udp addr").port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}
