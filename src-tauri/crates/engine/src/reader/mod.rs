//! The page the reader's sandboxed frame shows. The message HTML is already sanitized
//! (`html::sanitize`: no scripts, handlers, frames); this wraps it in a document whose
//! Content-Security-Policy forbids every script and, until the user allows it, every
//! remote load (images, styles, fonts): a tracking pixel is never fetched by opening a
//! message. The desktop shell serves the page through its own URI scheme with the same
//! policy as a response header; the `<meta>` copy keeps it in force wherever the page goes.
//!
//! "Always load remote content from this sender" is keyed by the From address, which
//! anyone can write: it is honoured only for a message proven to come from that
//! address's domain (the trust verdict `Verified`: DMARC pass or an aligned DKIM
//! signature), so a forged From never loads a tracker on the strength of the real
//! sender's setting. The UI offers "always" only for such messages.

mod dark;
mod links;

pub use links::link_domain;

use crate::api::{ConfirmLink, RemoteContent, TrustLevel};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::trust::TrustOptions;

/// A reader page, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderPage {
    pub html: String,
    /// The Content-Security-Policy the page must be served with.
    pub csp: String,
    /// Its links whose text shows another address: opened only once the user saw where
    /// they go (`links`).
    pub disguised_links: Vec<ConfirmLink>,
}

/// An attachment's bytes, to open or save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentData {
    pub filename: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

/// The policy: no script ever; remote images, styles and fonts only when `remote`.
/// `local` is where the message's own inline images (cid:) are served from.
pub fn csp(remote: bool, local: &str) -> String {
    let net = if remote { " http: https:" } else { "" };
    format!(
        "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; \
         connect-src 'none'; form-action 'none'; base-uri 'none'; \
         img-src data: {local}{net}; style-src 'unsafe-inline'{net}; font-src data:{net}; media-src 'none'"
    )
}

/// Whether sanitized HTML refers to anything remote the policy would block.
pub fn has_remote_content(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    [
        "src=\"http",
        "src='http",
        "src=http",
        "url(http",
        "url('http",
        "url(\"http",
        "background=\"http",
        "href=\"http",
    ]
    .iter()
    .filter(|needle| **needle != "href=\"http" || lower.contains("<link"))
    .any(|needle| lower.contains(needle))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole document for `body_html` or, without HTML, the plain text. Inline images
/// (`cid:x`) point at `cid_base` + x, the app's own scheme. The HTML was sanitized as it
/// entered the cache, perhaps by an older version with looser rules (relative addresses
/// survived it): it is cleaned again here, which costs little next to showing it.
pub fn page(html: Option<&str>, text: &str, remote: bool, cid_base: &str) -> ReaderPage {
    let origin = cid_base
        .find("://")
        .and_then(|i| cid_base[i + 3..].find('/').map(|j| &cid_base[..i + 3 + j]))
        .unwrap_or(cid_base);
    let csp = csp(remote, origin);
    let html = html.map(crate::html::sanitize);
    let disguised_links = html.as_deref().map(links::disguised).unwrap_or_default();
    let body = match html {
        Some(h) => h
            .replace("src=\"cid:", &format!("src=\"{cid_base}"))
            .replace("src='cid:", &format!("src='{cid_base}")),
        None => format!("<pre class=\"plain\">{}</pre>", escape(text)),
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <style>:root{{color-scheme:light}}body{{margin:16px;font:14px/1.5 system-ui,sans-serif;\
         overflow-wrap:anywhere}}pre.plain{{white-space:pre-wrap;font:inherit}}img{{max-width:100%;height:auto}}</style>\
         </head><body>{body}</body></html>",
        escape(&csp)
    );
    ReaderPage {
        html,
        csp,
        disguised_links,
    }
}

impl Engine {
    /// The reader page of message `id`. Remote content loads when `allow_once` (the user
    /// said so for this message) or when its sender is allowed always and proven (checked
    /// with `trust`'s DNS when the verdict is not cached yet).
    pub async fn reader_page(
        &self,
        id: i64,
        allow_once: bool,
        cid_base: &str,
        trust: &TrustOptions,
    ) -> Result<ReaderPage> {
        let detail = self.show(id).await?;
        let remote = allow_once
            || self
                .always_allowed(id, &detail.summary.from_addr, trust)
                .await?;
        Ok(page(detail.html.as_deref(), &detail.text, remote, cid_base))
    }

    /// Whether remote content of message `id` loads without asking: its sender is allowed
    /// always, and the message proven to come from the sender's domain (module doc).
    async fn always_allowed(&self, id: i64, sender: &str, trust: &TrustOptions) -> Result<bool> {
        let sender = sender.to_owned();
        if !self
            .blocking(move |s| s.remote_content_allowed(&sender))
            .await?
        {
            return Ok(false);
        }
        match self.message_trust_with(id, trust).await {
            Ok(verdict) => Ok(verdict.level == TrustLevel::Verified),
            Err(e) => {
                tracing::info!("message {id} not proven, remote content stays blocked: {e}");
                Ok(false)
            }
        }
    }

    /// An attachment of message `id`: `part` is its position among the message's
    /// attachments (`AttachmentInfo::part`), or `cid:<content-id>` for an inline image.
    pub async fn attachment(&self, id: i64, part: &str) -> Result<AttachmentData> {
        self.show(id).await?; // fetches the body when only headers are cached
        let part = part.to_owned();
        self.blocking(move |s| {
            let raw = s.raw(id)?;
            let raw = crate::ingest::readable(&raw);
            let msg =
                crate::ingest::guarded(|| mail_parser::MessageParser::default().parse(&raw[..]))
                    .ok_or_else(|| {
                        Error::new(ErrorKind::Protocol, "the message cannot be parsed")
                    })?;
            use mail_parser::MimeHeaders;
            let found = match part.strip_prefix("cid:") {
                Some(cid) => msg.attachments().find(|a| {
                    a.content_id()
                        .is_some_and(|c| c.trim_matches(['<', '>']) == cid)
                }),
                None => part
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| msg.attachments().nth(n.checked_sub(1)?)),
            };
            let a = found.ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("message {id} has no part {part}"),
                )
            })?;
            let mime_type = a
                .content_type()
                .map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or("octet-stream")))
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase();
            Ok(AttachmentData {
                filename: a.attachment_name().unwrap_or("attachment").to_owned(),
                mime_type,
                bytes: a.contents().to_vec(),
            })
        })
        .await
    }

    /// Whether message `id` has remote content, and whether it loads without asking.
    pub async fn remote_content(&self, id: i64) -> Result<RemoteContent> {
        let detail = self.blocking(move |s| s.message(id)).await?;
        Ok(RemoteContent {
            present: detail.html.as_deref().is_some_and(has_remote_content),
            always_allowed: self
                .always_allowed(id, &detail.summary.from_addr, &TrustOptions::default())
                .await?,
        })
    }

    /// Load remote content from `sender` always (true) or ask again (false).
    pub async fn set_remote_content(&self, sender: &str, always: bool) -> Result<()> {
        let sender = sender.to_owned();
        let now = self.now();
        self.blocking(move |s| {
            if always {
                s.allow_remote_content(&sender, now)
            } else {
                s.forbid_remote_content(&sender)
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AuthMethod, Endpoint, NewAccount, Protocol, Security};

    /// "Always from this sender" loads remote content only for mail proven to be from the
    /// sender's domain: here the provider's Authentication-Results (trusted authserv-id)
    /// says DMARC passed for one message and failed for a forgery with the same From.
    #[tokio::test]
    async fn always_holds_only_for_a_proven_sender() {
        let dir = tempfile::tempdir().expect("dir");
        let engine = Engine::open(
            dir.path(),
            std::sync::Arc::new(crate::auth::secrets::NoSecrets),
        )
        .expect("engine");
        let endpoint = |host: &str| Endpoint {
            host: host.into(),
            port: 993,
            security: Security::Tls,
        };
        let bob = engine
            .add_account(NewAccount {
                email: "bob@mail.test".into(),
                display_name: "Bob".into(),
                username: "bob@mail.test".into(),
                protocol: Protocol::Imap,
                incoming: endpoint("imap.mail.test"),
                smtp: endpoint("smtp.mail.test"),
                ca_file: None,
                sent_copy: None,
                smtp_plaintext_no_auth: false,
                auth: AuthMethod::Password,
            })
            .await
            .expect("account");
        engine
            .set_authserv_id(&bob.email, Some("mx.mail.test".into()))
            .await
            .expect("authserv-id");
        let inbox = engine
            .store()
            .folder(bob.id, "INBOX", Some("inbox"))
            .expect("inbox")
            .id;
        for (uid, dmarc) in [(1, "pass"), (2, "fail")] {
            let raw = format!(
                "Authentication-Results: mx.mail.test; dmarc={dmarc} header.from=bank.test\r\n\
                 From: Bank <alerts@bank.test>\r\nTo: bob@mail.test\r\nSubject: s{uid}\r\n\
                 Message-ID: <m{uid}@bank.test>\r\nMIME-Version: 1.0\r\n\
                 Content-Type: text/html\r\n\r\n<img src=\"https://t.bank.test/p.gif\">\r\n"
            );
            let meta = crate::ingest::ServerMeta {
                uid,
                ..Default::default()
            };
            let parsed = crate::ingest::parse(raw.into_bytes(), meta);
            engine
                .store()
                .insert_message(bob.id, inbox, &parsed)
                .expect("insert");
        }
        let ids = engine.inbox_ids().await.expect("ids");
        let subject = |id| engine.store().summary(id).expect("summary").subject;
        let proven = *ids.iter().find(|id| subject(**id) == "s1").expect("s1");
        let forged = *ids.iter().find(|id| subject(**id) == "s2").expect("s2");
        engine
            .set_remote_content("alerts@bank.test", true)
            .await
            .expect("always");
        let options = TrustOptions::default();
        let base = "courriel-msg://localhost/1/cid/";
        for (id, loads) in [(proven, true), (forged, false)] {
            assert_eq!(
                engine
                    .remote_content(id)
                    .await
                    .expect("remote")
                    .always_allowed,
                loads
            );
            let page = engine
                .reader_page(id, false, base, &options)
                .await
                .expect("page");
            assert_eq!(page.csp.contains("https:"), loads, "{}", page.csp);
            // "Load images" this once still works for either.
            let once = engine
                .reader_page(id, true, base, &options)
                .await
                .expect("page");
            assert!(once.csp.contains("https:"));
        }
    }

    #[test]
    fn blocks_scripts_always_and_remote_content_until_allowed() {
        let blocked = csp(false, "courriel-msg://localhost");
        assert!(blocked.contains("script-src 'none'"));
        assert!(!blocked.contains("http"));
        let allowed = csp(true, "courriel-msg://localhost");
        assert!(allowed.contains("script-src 'none'"));
        assert!(allowed.contains("img-src data: courriel-msg://localhost http: https:"));
    }

    /// A cache filled by an older version holds HTML its looser sanitizer passed.
    #[test]
    fn html_cached_by_an_older_version_is_cleaned_again() {
        let stored = r#"<a href="?remote=1" rel="noopener noreferrer">cover</a><img src="/1"><img src="cid:logo">"#;
        let p = page(Some(stored), "", false, "courriel-msg://localhost/7/cid/");
        assert!(
            !p.html.contains("remote=1") && !p.html.contains("\"/1\""),
            "{}",
            p.html
        );
        assert!(p.html.contains(r#"target="_blank""#), "{}", p.html);
        assert!(
            p.html.contains("courriel-msg://localhost/7/cid/logo"),
            "{}",
            p.html
        );
    }

    #[test]
    fn the_page_carries_its_policy_and_escapes_text() {
        let p = page(
            None,
            "<b>hi</b> & bye",
            false,
            "courriel-msg://localhost/7/cid/",
        );
        assert!(p.html.contains("&lt;b&gt;hi&lt;/b&gt; &amp; bye"));
        assert!(
            p.html.contains("script-src &#39;none&#39;") || p.html.contains("script-src 'none'")
        );
        assert!(has_remote_content(r#"<img src="https://t.example/p.gif">"#));
        assert!(has_remote_content(
            r#"<td style="background:url(http://x/y.png)">"#
        ));
        assert!(!has_remote_content(
            r#"<a href="https://x">x</a><img src="cid:a">"#
        ));
    }
}
