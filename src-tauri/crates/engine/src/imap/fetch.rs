//! UID FETCH, read response by response: each message is handed over as soon as it is
//! parsed, so a 100,000-message folder never sits in memory at once.

pub use crate::decode::{civil_from_unix, days_from_civil};
use async_imap::imap_proto::rfc4315::UidSetMember;
use async_imap::imap_proto::{
    AttributeValue, BodyStructure, ContentDisposition, MessageSection, Response, SectionPath,
};

use super::connect::ImapSession;
use super::raw;
use crate::api::AttachmentInfo;
use crate::error::{ErrorKind, Result};

/// The headers fetched for a message whose body waits (outside the sync window): what the
/// list, threading, search and the trust checks need.
pub const HEADER_FIELDS: &str = "BODY.PEEK[HEADER.FIELDS (DATE FROM SENDER REPLY-TO TO CC \
    SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID AUTHENTICATION-RESULTS CONTENT-TYPE)]";

/// One FETCH response, as far as the sync cares.
#[derive(Debug, Default, Clone)]
pub struct Fetched {
    pub uid: u32,
    pub flags: Option<Vec<String>>,
    pub modseq: u64,
    pub internal_date: i64,
    pub size: u32,
    /// The whole message (BODY[]).
    pub body: Option<Vec<u8>>,
    /// Only header fields (BODY[HEADER...]).
    pub header: Option<Vec<u8>>,
    /// Attachments, from BODYSTRUCTURE.
    pub structure: Option<Vec<AttachmentInfo>>,
    pub labels: Option<Vec<String>>,
    pub thread_id: Option<u64>,
}

/// `UID FETCH set items`, each message to `each`.
pub async fn uid_fetch<F>(
    session: &mut ImapSession,
    set: &str,
    items: &str,
    mut each: F,
) -> Result<()>
where
    F: FnMut(Fetched) -> Result<()>,
{
    let command = format!("UID FETCH {set} {items}");
    raw::run(session, &command, ErrorKind::Protocol, |r| {
        if let Some(f) = parse(r) {
            each(f)?;
        }
        Ok(())
    })
    .await
    .map(|_| ())
}

/// A FETCH response into a `Fetched`; None for anything else or a FETCH without UID.
pub fn parse(response: &Response<'_>) -> Option<Fetched> {
    let Response::Fetch(_, attributes) = response else {
        return None;
    };
    let mut f = Fetched::default();
    for a in attributes {
        match a {
            AttributeValue::Uid(uid) => f.uid = *uid,
            AttributeValue::Flags(flags) => {
                f.flags = Some(flags.iter().map(|f| f.to_string()).collect())
            }
            AttributeValue::ModSeq(m) => f.modseq = *m,
            AttributeValue::InternalDate(d) => f.internal_date = internal_date(d).unwrap_or(0),
            AttributeValue::Rfc822Size(s) => f.size = *s,
            AttributeValue::Rfc822(Some(data)) => f.body = Some(data.to_vec()),
            AttributeValue::BodySection { section, data, .. } => {
                let data = data.as_deref().unwrap_or_default().to_vec();
                match section {
                    None => f.body = Some(data),
                    Some(SectionPath::Full(MessageSection::Header)) => f.header = Some(data),
                    // HEADER.FIELDS comes back as a Part with no numbers in some parsers.
                    Some(_) => f.header = Some(data),
                }
            }
            AttributeValue::BodyStructure(s) => {
                let mut out = Vec::new();
                attachments(s, "", &mut out);
                f.structure = Some(out);
            }
            AttributeValue::GmailLabels(l) => {
                f.labels = Some(l.iter().map(|l| l.to_string()).collect())
            }
            AttributeValue::GmailThrId(t) => f.thread_id = Some(*t),
            _ => {}
        }
    }
    (f.uid != 0).then_some(f)
}

/// Walk BODYSTRUCTURE: every part with a filename or an attachment disposition, and every
/// non-text leaf that is not the message body itself.
fn attachments(s: &BodyStructure<'_>, path: &str, out: &mut Vec<AttachmentInfo>) {
    let child = |i: usize| {
        if path.is_empty() {
            (i + 1).to_string()
        } else {
            format!("{path}.{}", i + 1)
        }
    };
    let (common, other) = match s {
        BodyStructure::Multipart { bodies, .. } => {
            for (i, b) in bodies.iter().enumerate() {
                attachments(b, &child(i), out);
            }
            return;
        }
        BodyStructure::Basic { common, other, .. }
        | BodyStructure::Text { common, other, .. }
        | BodyStructure::Message { common, other, .. } => (common, other),
    };
    let part = if path.is_empty() {
        "1".to_owned()
    } else {
        path.to_owned()
    };
    let param = |params: &Option<Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)>>,
                 key: &str| {
        params.as_ref().and_then(|p| {
            p.iter()
                .find(|(k, _)| {
                    k.eq_ignore_ascii_case(key)
                        || k.to_ascii_lowercase().starts_with(&format!("{key}*"))
                })
                .map(|(_, v)| v.to_string())
        })
    };
    let disposition: Option<&ContentDisposition<'_>> = common.disposition.as_ref();
    let filename = disposition
        .and_then(|d| param(&d.params, "filename"))
        .or_else(|| param(&common.ty.params, "name"));
    let is_attachment = disposition.is_some_and(|d| d.ty.eq_ignore_ascii_case("attachment"));
    let is_text = common.ty.ty.eq_ignore_ascii_case("text");
    if filename.is_none() && !is_attachment && (is_text || path.is_empty()) {
        return;
    }
    out.push(AttachmentInfo {
        part,
        filename: filename
            .map(|f| crate::ingest::decode_filename(&f))
            .unwrap_or_default(),
        mime_type: format!("{}/{}", common.ty.ty, common.ty.subtype).to_ascii_lowercase(),
        size: other.octets,
        content_id: other
            .id
            .as_ref()
            .map(|id| id.trim_matches(['<', '>']).to_owned()),
        inline: disposition.is_some_and(|d| d.ty.eq_ignore_ascii_case("inline")),
    });
}

/// A UID set from COPYUID/VANISHED into the UIDs it names.
pub fn first_uid(set: &[UidSetMember]) -> Option<u32> {
    set.first().map(|m| match m {
        UidSetMember::Uid(u) => *u,
        UidSetMember::UidRange(r) => *r.start(),
    })
}

/// Sorted UIDs as a compact set: "1:5,9,12:14".
pub fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        while i + 1 < uids.len() && uids[i + 1] == uids[i] + 1 {
            i += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        if uids[i] == start {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{}", uids[i]));
        }
        i += 1;
    }
    out
}

/// INTERNALDATE ("17-Jul-1996 02:44:25 -0700") as unix seconds.
pub fn internal_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = s.split_once(' ')?;
    let (time, zone) = rest.trim().split_once(' ')?;
    let mut d = date.trim().split('-');
    let day: i64 = d.next()?.trim().parse().ok()?;
    let month = month_number(d.next()?)?;
    let year: i64 = d.next()?.parse().ok()?;
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (t.next()??, t.next()??, t.next()??);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let z: i64 = zone.get(1..)?.parse().ok()?;
    let offset = sign * ((z / 100) * 3600 + (z % 100) * 60);
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec - offset)
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as i64 + 1)
}

/// A date as SEARCH SINCE wants it: "1-Feb-2026".
pub fn search_date(unix: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_from_unix(unix);
    format!("{d}-{}-{y}", MONTHS[(m - 1) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_dates_parse_with_zones() {
        assert_eq!(
            internal_date("17-Jul-1996 02:44:25 -0700"),
            Some(837_596_665)
        );
        assert_eq!(internal_date(" 1-Jan-1970 00:00:00 +0000"), Some(0));
        assert_eq!(internal_date("garbage"), None);
    }

    #[test]
    fn search_dates_round_trip() {
        assert_eq!(search_date(837_596_665), "17-Jul-1996");
        assert_eq!(search_date(0), "1-Jan-1970");
        assert_eq!(search_date(1_796_083_200), "1-Dec-2026");
    }

    #[test]
    fn uid_sets_compress_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[4]), "4");
        assert_eq!(uid_set(&[]), "");
    }

    /// `\Recent` is a flag like the others (this session is the first to see the
    /// message): kept with them, so the cache and `show` have it.
    #[test]
    fn recent_is_kept_with_the_flags() {
        let (_, response) =
            Response::parse(b"* 3 FETCH (UID 9 FLAGS (\\Seen \\Recent))\r\n").expect("parses");
        let f = parse(&response).expect("a fetch");
        assert_eq!(f.flags.expect("flags"), ["\\Seen", "\\Recent"]);
    }

    #[test]
    fn scripted_fetch_responses_parse() {
        let line = b"* 12 FETCH (UID 40 MODSEQ (77) FLAGS (\\Seen $Label) X-GM-THRID 1234 \
X-GM-LABELS (\\Inbox Work) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 9 \
BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 2 1 NIL NIL NIL NIL)\
(\"application\" \"pdf\" (\"name\" \"r.pdf\") NIL NIL \"base64\" 120 NIL (\"attachment\" \
(\"filename\" \"r.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL) \
BODY[] {9}\r\nSubject:x)\r\n";
        let (_, response) = Response::parse(line).expect("parses");
        let f = parse(&response).expect("a fetch");
        assert_eq!(
            (f.uid, f.modseq, f.size, f.thread_id),
            (40, 77, 9, Some(1234))
        );
        assert_eq!(f.flags.expect("flags"), ["\\Seen", "$Label"]);
        assert_eq!(f.labels.expect("labels"), ["\\Inbox", "Work"]);
        assert_eq!(f.body.expect("body"), b"Subject:x");
        let a = f.structure.expect("structure");
        assert_eq!(a.len(), 1);
        assert_eq!((a[0].part.as_str(), a[0].filename.as_str()), ("2", "r.pdf"));
        assert_eq!(
            (a[0].mime_type.as_str(), a[0].size),
            ("application/pdf", 120)
        );
    }
}
