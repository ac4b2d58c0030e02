//! The IMAP response reader: server bytes go through the guard (`imap::guard`: line
//! length, literal size, parenthesis depth, checked before any parsing), what it lets
//! through to imap-proto's parser, and each response parsed to our FETCH handling.
//! Responses are built from IMAP's pieces: FETCH with nested BODYSTRUCTUREs (sometimes
//! deeper than the guard allows), literals whose sizes lie, UID ranges to 4294967295.

use async_imap::imap_proto::Response;
use courriel_engine::imap::fetch;
use courriel_engine::imap::guard::Guard;
use proptest::prelude::*;
use tokio::io::AsyncReadExt;

use super::{config, ends, pick};

/// A parenthesized list of strings, numbers and NILs, nested up to `depth`.
fn list(depth: u32) -> impl Strategy<Value = String> {
    let atom = pick(&[
        "\"text\"",
        "\"plain\"",
        "NIL",
        "12",
        "\"a\\\"b\"",
        "{3}\r\nabc",
        "\"\"",
    ])
    .prop_map(str::to_owned);
    atom.prop_recursive(depth, 256, 6, |inner| {
        proptest::collection::vec(inner, 0..6).prop_map(|items| format!("({})", items.join(" ")))
    })
}

fn fetch_item() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u32>().prop_map(|n| format!("UID {n}")),
        pick(&[
            "FLAGS (\\Seen \\Recent $Junk)",
            "FLAGS ()",
            "FLAGS (\\",
            "MODSEQ (77)",
            "MODSEQ (x)"
        ])
        .prop_map(str::to_owned),
        pick(&[
            "RFC822.SIZE 9",
            "RFC822.SIZE -1",
            "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\"",
            "INTERNALDATE \"x\""
        ])
        .prop_map(str::to_owned),
        (0..40usize, "[ -~\r\n]{0,40}").prop_map(|(n, body)| format!("BODY[] {{{n}}}\r\n{body}")),
        list(4).prop_map(|l| format!("BODYSTRUCTURE {l}")),
        list(70).prop_map(|l| format!("BODYSTRUCTURE {l}")),
        pick(&[
            "X-GM-LABELS (\\Inbox \"a b\")",
            "X-GM-THRID 123",
            "BODY[HEADER] NIL"
        ])
        .prop_map(str::to_owned),
    ]
}

fn response() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..5u32, proptest::collection::vec(fetch_item(), 0..5))
            .prop_map(|(n, items)| format!("* {n} FETCH ({})\r\n", items.join(" "))),
        pick(&[
            "* OK [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n",
            "* VANISHED (EARLIER) 1:4294967295\r\n",
            "* VANISHED 4294967295:1,5\r\n",
            "a1 OK [COPYUID 5 1:3 4294967290:4294967295] done\r\n",
            "* SEARCH 1 2 4294967295\r\n",
            "* 3 EXISTS\r\n* 1 RECENT\r\n",
            "a2 NO [UNAVAILABLE] later\r\n",
            "* BAD {5}\r\n",
            "+ idling\r\n",
            "* LIST (\\HasNoChildren) \".\" INBOX.Sent\r\n",
            "* STATUS INBOX (MESSAGES 2 UIDNEXT 9)\r\n",
            "* 1 FETCH (BODY[] {99999999999}\r\n",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,30}\r\n",
        "\\({50,120}",
    ]
}

/// What the guard lets through, read as a client would.
async fn guarded(bytes: Vec<u8>) -> Vec<u8> {
    let mut guard = Guard::new(std::io::Cursor::new(bytes));
    let mut passed = Vec::new();
    let mut chunk = [0u8; 97]; // odd reads, so markers straddle them
    while let Ok(n) = guard.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        passed.extend_from_slice(&chunk[..n]);
    }
    passed
}

/// Every response imap-proto finds in `bytes`, handed to FETCH parsing.
fn parse_all(mut rest: &[u8]) {
    while !rest.is_empty() {
        match Response::parse(rest) {
            Ok((after, response)) => {
                let _ = fetch::parse(&response);
                rest = after;
            }
            Err(_) => match rest.iter().position(|&b| b == b'\n') {
                Some(i) => rest = &rest[i + 1..],
                None => break,
            },
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn responses_are_parsed_or_refused(
        responses in proptest::collection::vec(response(), 0..12),
        noise in proptest::collection::vec(any::<u8>(), 0..16),
    ) {
        let mut bytes = responses.concat().into_bytes();
        bytes.extend_from_slice(&noise);
        let passed = ends(guarded(bytes))?;
        parse_all(&passed);
    }

    #[test]
    fn arbitrary_bytes_are_parsed_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let passed = ends(guarded(bytes))?;
        parse_all(&passed);
    }
}
