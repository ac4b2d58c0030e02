//! `mailto:` links (RFC 6068) turned into a [`Draft`] for compose.
//!
//! What a link can fill, and nothing else:
//! - **To**: the addresses before `?`, plus every `to=` header field; **Cc** and **Bcc**
//!   from `cc=` and `bcc=` (each may repeat, each may list several addresses). Addresses
//!   are split on commas (and semicolons, which some sites use) outside quotes, angle
//!   brackets and comments, so `"Doe, Jane" <jane@example.org>` stays one address; the same
//!   address twice is kept once.
//! - **Subject** and **body**: the first `subject=` and the first `body=` (RFC 6068 says
//!   nothing about repeats; the first is what the link's author most likely meant). The
//!   subject is one line (line breaks and control characters become spaces: a link cannot
//!   add a header); the body keeps its line breaks, as `\n`.
//! - **In-Reply-To**: mailing-list archives (Mailman, HyperKitty, public-inbox) put the
//!   Message-ID of the message being answered in the link so the reply lands in its
//!   thread. It is taken only when it looks like one `<id>`, and only threads the reply.
//!
//! Every other header field is ignored: `from`, `sender`, `reply-to`, `attach` /
//! `attachment` (some clients attach a local file named by the link: a web page could
//! make you mail away `~/.ssh/id_rsa`), `content-type`, `x-*`... (RFC 6068 §7 asks for
//! exactly this caution). The draft is only a draft: nothing is sent before the user
//! presses Send.
//!
//! Decoding: `%XX` octets are UTF-8 (RFC 6068 §5); a component whose octets are not valid
//! UTF-8 is read as ISO-8859-1 instead, which is what old pages that write `R%E9union`
//! meant. `+` is a plus sign, never a space (RFC 6068 §5, unlike HTML forms). A `%` not
//! followed by two hex digits is kept as it is. Header field names are case-insensitive;
//! the scheme too (`MAILTO:` works). A fragment (`#...`) is dropped; so is the `//` some
//! sites wrongly write after `mailto:`.

use crate::api::Draft;
use crate::error::{Error, ErrorKind, Result};

/// Whether `arg` is a `mailto:` link (any case), as a command-line argument may be.
pub fn is_mailto(arg: &str) -> bool {
    arg.trim_start()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
}

/// The draft a `mailto:` link describes. Fails only when `url` is not a `mailto:` link.
pub fn parse(url: &str) -> Result<Draft> {
    let url = url.trim();
    if !is_mailto(url) {
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "not a mailto: link: {}",
                url.chars().take(60).collect::<String>()
            ),
        ));
    }
    let rest = &url[7..];
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.strip_prefix("//").unwrap_or(path);

    let mut draft = Draft::default();
    let mut subject = None;
    let mut body = None;
    add_addresses(&mut draft.to, &crate::decode::percent(path));
    for field in query.split('&').filter(|f| !f.is_empty()) {
        let (name, value) = field.split_once('=').unwrap_or((field, ""));
        let name = crate::decode::percent(name).to_ascii_lowercase();
        match name.as_str() {
            "to" => add_addresses(&mut draft.to, &crate::decode::percent(value)),
            "cc" => add_addresses(&mut draft.cc, &crate::decode::percent(value)),
            "bcc" => add_addresses(&mut draft.bcc, &crate::decode::percent(value)),
            "subject" if subject.is_none() => {
                subject = Some(one_line(&crate::decode::percent(value)))
            }
            "body" if body.is_none() => body = Some(text(&crate::decode::percent(value))),
            "in-reply-to" if draft.in_reply_to.is_none() => {
                if let Some(id) = message_id(&crate::decode::percent(value)) {
                    draft.references = vec![id.clone()];
                    draft.in_reply_to = Some(id);
                }
            }
            _ => {}
        }
    }
    draft.subject = subject.unwrap_or_default();
    draft.body = body.unwrap_or_default();
    Ok(draft)
}

/// A subject: one line, no control characters, trimmed.
fn one_line(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A body: line breaks as `\n`, tabs kept, other control characters dropped.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// `<id@host>` without its brackets, when `s` is exactly one such Message-ID.
fn message_id(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix('<')?.strip_suffix('>')?;
    let ok = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '<' && c != '>');
    ok.then(|| inner.to_owned())
}

/// Adds each address of a decoded list to `into`, skipping blanks and ones already there.
fn add_addresses(into: &mut Vec<String>, list: &str) {
    for address in split_addresses(list) {
        let address = one_line(&address);
        if !address.is_empty() && !into.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            into.push(address);
        }
    }
}

/// Splits on `,` and `;` outside quoted strings, `<...>` and `(comments)`.
fn split_addresses(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut escaped, mut angle, mut comment) = (false, false, false, 0u32);
    for c in list.chars() {
        if escaped {
            escaped = false;
        } else if quoted {
            match c {
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
        } else {
            match c {
                '"' => quoted = true,
                '<' => angle = true,
                '>' => angle = false,
                '(' => comment += 1,
                ')' => comment = comment.saturating_sub(1),
                ',' | ';' if !angle && comment == 0 => {
                    out.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
        }
        current.push(c);
    }
    out.push(current);
    out.into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{is_mailto, parse};

    #[test]
    fn the_address_before_the_question_mark_is_the_recipient() {
        let d = parse("mailto:bob@example.test").expect("parses");
        assert_eq!(d.to, ["bob@example.test"]);
        assert!(d.cc.is_empty() && d.bcc.is_empty());
        assert_eq!(d.subject, "");
        assert_eq!(d.body, "");
        assert_eq!(d.from, None);
    }

    #[test]
    fn several_recipients_in_the_path_and_in_to_fields() {
        let d = parse("mailto:a@example.test,b@example.test?to=c@example.test&TO=d@example.test%2Ce@example.test")
            .expect("parses");
        assert_eq!(
            d.to,
            [
                "a@example.test",
                "b@example.test",
                "c@example.test",
                "d@example.test",
                "e@example.test"
            ]
        );
    }

    #[test]
    fn cc_bcc_subject_and_body() {
        let d = parse(
            "mailto:bob@example.test?cc=carol@example.test&bcc=dave@example.test,erin@example.test\
             &subject=Hello%20there&body=Line%20one%0D%0ALine%20two",
        )
        .expect("parses");
        assert_eq!(d.cc, ["carol@example.test"]);
        assert_eq!(d.bcc, ["dave@example.test", "erin@example.test"]);
        assert_eq!(d.subject, "Hello there");
        assert_eq!(d.body, "Line one\nLine two");
    }

    #[test]
    fn percent_encoded_utf8_and_raw_unicode() {
        let d = parse("mailto:z%C3%A9lie@example.test?subject=R%C3%A9union%20%E2%80%94%20caf%C3%A9%20%F0%9F%8E%89&body=%C3%A0%20bient%C3%B4t")
            .expect("parses");
        assert_eq!(d.to, ["zélie@example.test"]);
        assert_eq!(d.subject, "Réunion — café 🎉");
        assert_eq!(d.body, "à bientôt");
        // What a launcher may hand over undecoded.
        let raw = parse("mailto:bob@example.test?subject=Été à Zürich").expect("parses");
        assert_eq!(raw.subject, "Été à Zürich");
    }

    #[test]
    fn latin1_octets_from_old_pages() {
        let d = parse("mailto:bob@example.test?subject=R%E9union").expect("parses");
        assert_eq!(d.subject, "Réunion");
    }

    #[test]
    fn plus_is_a_plus_and_stray_percent_signs_stay() {
        let d = parse("mailto:bob+lists@example.test?subject=1+1%20is%202&body=100%%20sure%zz")
            .expect("parses");
        assert_eq!(d.to, ["bob+lists@example.test"]);
        assert_eq!(d.subject, "1+1 is 2");
        assert_eq!(d.body, "100% sure%zz");
    }

    #[test]
    fn encoded_ampersand_equals_and_question_mark_stay_in_values() {
        let d =
            parse("mailto:bob@example.test?subject=Q%26A%3D%3F&body=a%3Db%26c").expect("parses");
        assert_eq!(d.subject, "Q&A=?");
        assert_eq!(d.body, "a=b&c");
    }

    #[test]
    fn quoted_names_with_commas_stay_one_address() {
        let d = parse("mailto:%22Doe%2C%20Jane%22%20%3Cjane@example.test%3E,bob@example.test")
            .expect("parses");
        assert_eq!(
            d.to,
            [r#""Doe, Jane" <jane@example.test>"#, "bob@example.test"]
        );
        let semi = parse("mailto:a@example.test;b@example.test").expect("parses");
        assert_eq!(semi.to, ["a@example.test", "b@example.test"]);
    }

    #[test]
    fn the_same_address_twice_is_kept_once() {
        let d = parse("mailto:bob@example.test?to=BOB@example.test&cc=bob@example.test")
            .expect("parses");
        assert_eq!(d.to, ["bob@example.test"]);
        assert_eq!(d.cc, ["bob@example.test"], "cc is its own list");
    }

    #[test]
    fn header_names_and_scheme_are_case_insensitive() {
        let d =
            parse("MailTo:bob@example.test?Subject=Hi&BODY=Yo&Cc=c@example.test").expect("parses");
        assert_eq!(d.subject, "Hi");
        assert_eq!(d.body, "Yo");
        assert_eq!(d.cc, ["c@example.test"]);
        assert!(is_mailto("MAILTO:x@example.test"));
        assert!(!is_mailto("https://example.test"));
        assert!(!is_mailto("mail"));
        assert!(!is_mailto("é"));
    }

    #[test]
    fn the_first_subject_and_body_win() {
        let d = parse("mailto:?subject=first&subject=second&body=one&body=two").expect("parses");
        assert!(d.to.is_empty());
        assert_eq!(d.subject, "first");
        assert_eq!(d.body, "one");
    }

    #[test]
    fn no_header_can_be_injected() {
        let d = parse(
            "mailto:bob@example.test%0D%0ABcc:%20spy@example.test?subject=Hi%0D%0ABcc:%20spy@example.test\
             &cc=c@example.test%0AX-Evil:%201",
        )
        .expect("parses");
        assert_eq!(d.subject, "Hi Bcc: spy@example.test");
        assert!(d.to.iter().chain(&d.cc).all(|a| !a.contains(['\r', '\n'])));
        assert!(d.bcc.is_empty());
    }

    #[test]
    fn unknown_and_dangerous_fields_are_ignored() {
        let d = parse(
            "mailto:bob@example.test?from=ceo@example.test&attach=/etc/passwd&attachment=file:///home/u/.ssh/id_rsa\
             &reply-to=evil@example.test&content-type=text/html&x-mailer=evil&sender=x@example.test&subject=ok",
        )
        .expect("parses");
        assert_eq!(d.from, None);
        assert!(d.attachments.is_empty());
        assert_eq!(d.html, None);
        assert_eq!(d.to, ["bob@example.test"]);
        assert!(d.cc.is_empty() && d.bcc.is_empty());
        assert_eq!(d.subject, "ok");
    }

    #[test]
    fn in_reply_to_from_list_archives_threads_the_reply() {
        let d = parse("mailto:list@example.test?In-Reply-To=%3C123.abc%40example.test%3E&subject=Re%3A%20Patch").expect("parses");
        assert_eq!(d.in_reply_to.as_deref(), Some("123.abc@example.test"));
        assert_eq!(d.references, ["123.abc@example.test"]);
        assert_eq!(d.subject, "Re: Patch");
        let bad =
            parse("mailto:list@example.test?in-reply-to=%3Ca%3E%0D%0AX:%20y").expect("parses");
        assert_eq!(bad.in_reply_to, None);
        assert!(bad.references.is_empty());
    }

    #[test]
    fn fragments_empty_fields_and_slashes() {
        let d = parse("  mailto://bob@example.test?&subject=&body=x&&=y&novalue#frag  ")
            .expect("parses");
        assert_eq!(d.to, ["bob@example.test"]);
        assert_eq!(d.subject, "");
        assert_eq!(d.body, "x");
        let empty = parse("mailto:").expect("parses");
        assert!(empty.to.is_empty());
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(parse("https://example.test/?to=a@example.test").is_err());
        assert!(parse("").is_err());
        assert!(parse("--hidden").is_err());
    }
}
