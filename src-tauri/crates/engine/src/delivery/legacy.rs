//! Bounces that are not RFC 3464 reports: plain text whose fixed sentences say which
//! software wrote it. Each format gives the recipients that failed (or are delayed) and
//! the remote server's words; the status comes from those words.

use mail_parser::{HeaderValue, Message};

use super::{clip, Action, Fate, Report, MAX_RECIPIENTS};

/// How one plain-text format reads.
struct Format {
    name: &'static str,
    /// A sentence only this software writes.
    marker: &'static str,
    /// Sentences that mean "delayed, still trying" rather than "failed".
    delayed: &'static [&'static str],
    /// Where the list of recipients starts (the line after it).
    list_after: &'static [&'static str],
}

const FORMATS: &[Format] = &[
    Format {
        name: "exim",
        marker: "This message was created automatically by mail delivery software",
        delayed: &["has not yet been delivered"],
        list_after: &[
            "address(es) failed:",
            "has not yet been delivered is:",
            "have not yet been delivered are:",
        ],
    },
    Format {
        name: "qmail",
        marker: "This is the qmail-send program",
        delayed: &["I'm still trying"],
        list_after: &["wasn't able to deliver your message to the following addresses"],
    },
    Format {
        name: "yahoo",
        marker: "unable to deliver your message to the following address",
        delayed: &[],
        list_after: &["unable to deliver your message to the following address"],
    },
    Format {
        name: "gmail",
        marker: "Delivery to the following recipient",
        delayed: &["has been delayed"],
        list_after: &["Delivery to the following recipient"],
    },
    Format {
        name: "sendmail",
        marker: "----- The following addresses had",
        delayed: &["transient non-fatal errors"],
        list_after: &["----- The following addresses had"],
    },
];

/// Lines after which a bounce quotes the message it returns.
const COPY_MARKERS: &[&str] = &[
    "------ This is a copy of the message",
    "--- Below this line is a copy of the message",
    "----- Original message -----",
    "----- Original message follows -----",
    "------ Original message follows ------",
];

pub(super) fn read(message: &Message) -> Option<Report> {
    let text = message.body_text(0)?;
    let format = FORMATS.iter().find(|f| text.contains(f.marker))?;
    let action = if format.delayed.iter().any(|d| text.contains(d)) {
        Action::Delayed
    } else {
        Action::Failed
    };
    let listed = recipients(listing(&text, format)?, action, format.name == "gmail");
    let recipients = if listed.is_empty() {
        failed_header(message, action)
    } else {
        listed
    };
    Some(Report {
        format: format.name.into(),
        recipients,
        original_subject: stated_subject(&text),
        ..Report::default()
    })
}

/// The text between the line that introduces the recipients and the returned copy.
fn listing<'t>(text: &'t str, format: &Format) -> Option<&'t str> {
    let start = format
        .list_after
        .iter()
        .filter_map(|m| text.find(m).map(|at| at + m.len()))
        .min()?;
    let rest = &text[start..];
    let rest = rest.split_once('\n').map_or("", |(_, after)| after);
    let end = COPY_MARKERS
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Each address found at the start of a line, with the lines after it as its
/// diagnostic: indented ones, or all up to a blank line (a paragraph after a blank line
/// is the bounce's own prose, except in Gmail's format, whose error comes after one).
fn recipients(listing: &str, action: Action, paragraphs: bool) -> Vec<Fate> {
    let mut fates: Vec<Fate> = Vec::new();
    let mut open = false;
    for line in listing.lines() {
        let trimmed = line.trim();
        if let Some(address) = address_line(trimmed) {
            if fates.len() == MAX_RECIPIENTS {
                break;
            }
            fates.push(fate(address, action));
            open = true;
        } else if trimmed.is_empty() {
            open = paragraphs;
        } else if let Some(last) = fates
            .last_mut()
            .filter(|_| open || line.starts_with([' ', '\t']))
        {
            add_words(last, trimmed);
        }
    }
    for fate in &mut fates {
        fate.status = fate.diagnostic.as_deref().and_then(status_in);
    }
    fates
}

fn add_words(fate: &mut Fate, line: &str) {
    let words = match line.strip_prefix("(reason:") {
        Some(reason) => reason.trim_end_matches(')'),
        None => line,
    };
    let words = words.strip_prefix("Delay reason:").unwrap_or(words).trim();
    if words.is_empty() || words.starts_with("-----") || words.starts_with("Technical details") {
        return;
    }
    let joined = match fate.diagnostic.take() {
        Some(d) => format!("{d} {words}"),
        None => words.to_owned(),
    };
    fate.diagnostic = Some(clip(&joined));
}

/// `bob@example.org`, `<bob@example.org>:` or `<bob@example.org>... User unknown`.
fn address_line(line: &str) -> Option<&str> {
    let word = line.split_whitespace().next()?;
    let address = word.trim_end_matches([':', '.']).trim_matches(['<', '>']);
    let (local, domain) = address.split_once('@')?;
    let plain = !local.is_empty()
        && domain.contains('.')
        && address.len() < 255
        && !address.contains(['(', ')', '[', ']', ',', ';', '"']);
    let whole_line = line.trim_end_matches([':', '.']).trim_matches(['<', '>']) == address;
    (plain && (whole_line || word.starts_with('<'))).then_some(address)
}

fn fate(address: &str, action: Action) -> Fate {
    Fate {
        address: address.to_ascii_lowercase(),
        action,
        status: None,
        remote_mta: None,
        diagnostic: None,
    }
}

/// Exim's `X-Failed-Recipients` header, for a bounce whose text lists no address.
fn failed_header(message: &Message, action: Action) -> Vec<Fate> {
    let Some(HeaderValue::Text(list)) = message.header("X-Failed-Recipients").cloned() else {
        return Vec::new();
    };
    list.split(',')
        .filter_map(|a| address_line(a.trim()))
        .take(MAX_RECIPIENTS)
        .map(|a| fate(a, action))
        .collect()
}

/// Exim's delay warning names the subject in a sentence of its own.
fn stated_subject(text: &str) -> Option<String> {
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("The subject of the message is:"))?;
    Some(clip(line)).filter(|s| !s.is_empty())
}

/// The RFC 3463 status in a server's words ("550 5.1.1 unknown" -> "5.1.1"), or the
/// class a bare reply code gives ("550 unknown" -> "5.0.0").
pub(super) fn status_in(words: &str) -> Option<String> {
    let separators = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':' | ',' | '-' | '#');
    let tokens = words.split(separators);
    let mut code_class = None;
    for token in tokens.take(40) {
        let parts: Vec<&str> = token.trim_matches('.').split('.').collect();
        let numeric =
            |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
        if parts.len() == 3
            && parts.iter().all(|p| numeric(p))
            && matches!(parts[0], "2" | "4" | "5")
        {
            return Some(parts.join("."));
        }
        if code_class.is_none()
            && token.len() == 3
            && numeric(token)
            && matches!(&token[..1], "4" | "5")
        {
            code_class = Some(format!("{}.0.0", &token[..1]));
        }
    }
    code_class
}

/// The header of the copy a plain-text bounce quotes, if it quotes one.
pub(super) fn quoted_original(text: &str) -> Option<&str> {
    let start = COPY_MARKERS.iter().filter_map(|m| text.find(m)).min()?;
    let rest = &text[start..];
    let rest = rest.split_once('\n').map(|(_, after)| after)?;
    let rest = rest.trim_start_matches(['\r', '\n']);
    let end = rest
        .find("\n\n")
        .or_else(|| rest.find("\r\n\r\n"))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}
