//! The page the reader's sandboxed frame shows. The message HTML is already sanitized
//! (`html::sanitize`: no scripts, handlers, frames); this wraps it in a document whose
//! Content-Security-Policy forbids every script and, until the user allows it, every
//! remote load (images, styles, fonts): a tracking pixel is never fetched by opening a
//! message. The desktop shell serves the page through its own URI scheme with the same
//! policy as a response header; the `<meta>` copy keeps it in force wherever the page goes.

use crate::api::RemoteContent;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};

/// A reader page, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderPage {
    pub html: String,
    /// The Content-Security-Policy the page must be served with.
    pub csp: String,
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

/// The whole document for `body_html` (sanitized) or, without HTML, the plain text.
/// Inline images (`cid:x`) point at `cid_base` + x, the app's own scheme.
pub fn page(html: Option<&str>, text: &str, remote: bool, cid_base: &str) -> ReaderPage {
    let origin = cid_base
        .find("://")
        .and_then(|i| cid_base[i + 3..].find('/').map(|j| &cid_base[..i + 3 + j]))
        .unwrap_or(cid_base);
    let csp = csp(remote, origin);
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
         <style>:root{{color-scheme:light dark}}body{{margin:16px;font:14px/1.5 system-ui,sans-serif;\
         overflow-wrap:anywhere}}pre.plain{{white-space:pre-wrap;font:inherit}}img{{max-width:100%;height:auto}}</style>\
         </head><body>{body}</body></html>",
        escape(&csp)
    );
    ReaderPage { html, csp }
}

impl Engine {
    /// The reader page of message `id`. Remote content loads when `allow_once` or when
    /// the sender is allowed always.
    pub async fn reader_page(
        &self,
        id: i64,
        allow_once: bool,
        cid_base: &str,
    ) -> Result<ReaderPage> {
        let detail = self.show(id).await?;
        let sender = detail.summary.from_addr.clone();
        let always = self
            .blocking(move |s| s.remote_content_allowed(&sender))
            .await?;
        Ok(page(
            detail.html.as_deref(),
            &detail.text,
            allow_once || always,
            cid_base,
        ))
    }

    /// An attachment of message `id`: `part` is its position among the message's
    /// attachments (`AttachmentInfo::part`), or `cid:<content-id>` for an inline image.
    pub async fn attachment(&self, id: i64, part: &str) -> Result<AttachmentData> {
        self.show(id).await?; // fetches the body when only headers are cached
        let part = part.to_owned();
        self.blocking(move |s| {
            let raw = s.raw(id)?;
            let msg = mail_parser::MessageParser::default()
                .parse(&raw[..])
                .ok_or_else(|| Error::new(ErrorKind::Protocol, "the message cannot be parsed"))?;
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

    /// Whether message `id` has remote content, and whether its sender is allowed always.
    pub async fn remote_content(&self, id: i64) -> Result<RemoteContent> {
        self.blocking(move |s| {
            let detail = s.message(id)?;
            Ok(RemoteContent {
                present: detail.html.as_deref().is_some_and(has_remote_content),
                always_allowed: s.remote_content_allowed(&detail.summary.from_addr)?,
            })
        })
        .await
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

    #[test]
    fn blocks_scripts_always_and_remote_content_until_allowed() {
        let blocked = csp(false, "courriel-msg://localhost");
        assert!(blocked.contains("script-src 'none'"));
        assert!(!blocked.contains("http"));
        let allowed = csp(true, "courriel-msg://localhost");
        assert!(allowed.contains("script-src 'none'"));
        assert!(allowed.contains("img-src data: courriel-msg://localhost http: https:"));
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
