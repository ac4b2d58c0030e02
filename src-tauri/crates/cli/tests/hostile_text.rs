//! Mail cannot drive your terminal: a message whose subject, sender name, body and
//! attachment name carry terminal control sequences (an OSC that retitles the window, a
//! screen clear, a C1 CSI, a bell) and bidi overrides is synced from the real Dovecot and
//! printed by `courriel list`, `search`, `thread` and `show`: no control byte reaches
//! standard output, the words around them still do.

use std::path::Path;
use std::process::Command;

use courriel_engine::Engine;
use courriel_tests::Servers;

/// A message as a hostile sender would write it: raw control bytes in the Subject, an
/// encoded-word carrying ESC and a bidi override in the sender's name, escapes in the body,
/// and an attachment named with a right-to-left override ("invoice<RLO>fdp.exe" shows as
/// "invoiceexe.pdf").
fn hostile(to: &str) -> Vec<u8> {
    format!(
        "From: =?utf-8?q?Bank=1B]0;owned=07=E2=80=AE?= <bank@example.test>\r\n\
         To: {to}\r\n\
         Subject: Invoice \x1b]0;pwned\x07\x1b[2J ready\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\
         Message-ID: <hostile-text@example.test>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\
         \r\n\
         --b\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\
         \r\n\
         Dear customer,=0A=1B[31mred=1B[0m =C2=9B2J and a tab\there.\r\n\
         --b\r\n\
         Content-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename*=utf-8''invoice%E2%80%AEfdp%1B%5B2J.exe\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         TVqQAAMAAAAEAAAA\r\n\
         --b--\r\n"
    )
    .into_bytes()
}

fn courriel(dir: &Path, servers: &Servers, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("COURRIEL_PASSWORD", servers.get("BOB_PASSWORD"))
        .output()
        .expect("run courriel");
    assert!(
        out.status.success(),
        "courriel {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// No C0 control but newline and tab, no DEL, no C1 control, no bidi override.
fn assert_inert(args: &[&str], text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(
        bad.is_empty(),
        "courriel {args:?} printed {bad:?}:\n{text:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_derived_text_reaches_the_terminal_without_control_sequences() {
    let servers = Servers::start();
    let bob = servers.get("BOB").to_owned();
    servers.deliver_raw("bob", "hostile-text", &hostile(&bob));
    let dir = tempfile::tempdir().expect("data dir");
    Engine::open(dir.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    courriel(dir.path(), &servers, &["sync", "--account", &bob]);

    let list = courriel(dir.path(), &servers, &["list"]);
    assert_inert(&["list"], &list);
    assert!(list.contains("Invoice") && list.contains("ready"), "{list}");
    let id = list.split_whitespace().next().expect("an id").to_owned();
    for args in [
        vec!["show", id.as_str()],
        vec!["search", "invoice"],
        vec!["thread", id.as_str()],
    ] {
        let text = courriel(dir.path(), &servers, &args);
        assert_inert(&args, &text);
    }
    let show = courriel(dir.path(), &servers, &["show", &id]);
    assert!(show.contains("Dear customer,"), "{show}");
    assert!(show.contains("a tab\there."), "tabs stay: {show}");
    assert!(show.contains("invoicefdp"), "the attachment's name: {show}");
    assert!(show.contains(".exe"), "its real extension shows: {show}");
}
