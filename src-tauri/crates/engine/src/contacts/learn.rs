//! What is learned from which mail, and what never is.
//!
//! - A message you send (queued from Compose or `courriel send`): every To, Cc and Bcc
//!   address, with the name you wrote, as `Sent`.
//! - A message in the cache that you sent from elsewhere (in the Sent folder, or from one
//!   of your addresses, and not in this machine's outbox): its To and Cc addresses as
//!   `Sent` (the cache keeps no recipient names).
//! - Any other message: its sender, with the name it gives, as `Replied` when it is marked
//!   answered, else `Received`.
//!
//! Never learned: drafts and junk; a sender of mailing-list mail (a `List-Id`: the list
//! speaks, not a person you would write to); mailer daemons, postmasters, bounce and
//! no-reply addresses; your own addresses as senders; anything that is not an address.

use std::str::FromStr;

use crate::api::Draft;
use crate::store::contacts::{Event, Learned, Scanned};

use super::{fold, rank};

/// Longest address kept (RFC 5321's path limit) and longest name.
const MAX_ADDRESS: usize = 254;
const MAX_NAME_CHARS: usize = 128;

/// The recipients of a message you send now.
pub fn from_draft(draft: &Draft, now: i64) -> Vec<Learned> {
    draft
        .to
        .iter()
        .chain(&draft.cc)
        .chain(&draft.bcc)
        .filter_map(|written| lettre::message::Mailbox::from_str(written.trim()).ok())
        .filter_map(|m| {
            learned(
                m.email.as_ref(),
                m.name.as_deref().unwrap_or(""),
                Event::Sent,
                now,
            )
        })
        .collect()
}

/// What a cached message teaches; `own` holds your addresses, lower-cased.
pub fn from_message(m: &Scanned, own: &[String]) -> Vec<Learned> {
    let role = m.folder_role.as_deref().unwrap_or("");
    if matches!(role, "drafts" | "junk") || m.in_outbox {
        return Vec::new();
    }
    let from = m.from_addr.trim().to_lowercase();
    if role == "sent" || own.contains(&from) {
        return m
            .to_addrs
            .split(',')
            .chain(m.cc_addrs.split(','))
            .filter_map(|a| learned(a, "", Event::Sent, m.date))
            .collect();
    }
    if m.has_list_id {
        return Vec::new();
    }
    let event = if m.answered {
        Event::Replied
    } else {
        Event::Received
    };
    let name = m.from_name.as_deref().unwrap_or("");
    learned(&from, name, event, m.date).into_iter().collect()
}

/// An event for `address`, unless it is not an address or never learned.
fn learned(address: &str, name: &str, event: Event, at: i64) -> Option<Learned> {
    let address = address.trim().to_lowercase();
    if !is_address(&address) || never_learned(&address) {
        return None;
    }
    let name = clean_name(name, &address);
    Some(Learned {
        terms: fold::terms(&name, &address),
        points: rank::points(event, at),
        address,
        name,
        event,
        at,
    })
}

fn is_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    address.len() <= MAX_ADDRESS
        && !local.is_empty()
        && !domain.is_empty()
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;\"".contains(c))
}

/// Machines, not people: bounces and no-reply senders.
pub fn never_learned(address: &str) -> bool {
    let local = address.rsplit_once('@').map_or(address, |(l, _)| l);
    let local = local.split('+').next().unwrap_or(local);
    let squashed: String = local.chars().filter(|c| c.is_alphanumeric()).collect();
    matches!(squashed.as_str(), "mailerdaemon" | "postmaster")
        || ["noreply", "donotreply", "bounce"]
            .iter()
            .any(|p| squashed.starts_with(p))
}

/// A display name as kept: one line, bounded; none when it is an address itself (many
/// mailers repeat the address, and a name with an @ is more often a trick than a name).
fn clean_name(name: &str, address: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .trim_matches(['"', '\''])
        .trim()
        .to_owned();
    if name.contains('@') || name.eq_ignore_ascii_case(address) {
        return String::new();
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(role: &str, from: &str, name: &str) -> Scanned {
        Scanned {
            folder_role: Some(role.into()),
            from_addr: from.into(),
            from_name: Some(name.into()),
            to_addrs: "me@example.test, bob@example.test".into(),
            date: 1_800_000_000,
            ..Scanned::default()
        }
    }

    fn own() -> Vec<String> {
        vec!["me@example.test".into()]
    }

    #[test]
    fn a_draft_teaches_every_recipient_with_its_name() {
        let draft = Draft {
            to: vec![
                "Zoë Durand <Zoe@Example.test>".into(),
                "not an address".into(),
            ],
            cc: vec!["\"Martin, Paul\" <paul@example.test>".into()],
            bcc: vec!["carol@example.test".into()],
            ..Draft::default()
        };
        let got: Vec<_> = from_draft(&draft, 5)
            .into_iter()
            .map(|l| (l.address, l.name, l.event))
            .collect();
        assert_eq!(
            got,
            [
                ("zoe@example.test".into(), "Zoë Durand".into(), Event::Sent),
                (
                    "paul@example.test".into(),
                    "Martin, Paul".into(),
                    Event::Sent
                ),
                ("carol@example.test".into(), String::new(), Event::Sent),
            ]
        );
    }

    #[test]
    fn received_mail_teaches_its_sender_and_answered_mail_counts_more() {
        let got = from_message(&scanned("inbox", "Alice@Example.test", "Alice A."), &own());
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].address.as_str(), got[0].name.as_str()),
            ("alice@example.test", "Alice A.")
        );
        assert_eq!(got[0].event, Event::Received);
        let answered = Scanned {
            answered: true,
            ..scanned("inbox", "alice@example.test", "")
        };
        assert_eq!(from_message(&answered, &own())[0].event, Event::Replied);
    }

    #[test]
    fn sent_mail_teaches_its_recipients() {
        let got: Vec<_> = from_message(&scanned("sent", "me@example.test", "Me"), &own())
            .into_iter()
            .map(|l| (l.address, l.event))
            .collect();
        assert_eq!(
            got,
            [
                ("me@example.test".into(), Event::Sent),
                ("bob@example.test".into(), Event::Sent)
            ]
        );
        // From one of your addresses, wherever it is filed.
        assert_eq!(
            from_message(&scanned("archive", "ME@example.test", ""), &own()).len(),
            2
        );
        // Sent from here: learned when it was queued, not twice.
        let here = Scanned {
            in_outbox: true,
            ..scanned("sent", "me@example.test", "")
        };
        assert!(from_message(&here, &own()).is_empty());
    }

    #[test]
    fn lists_machines_drafts_and_junk_are_never_learned() {
        let list = Scanned {
            has_list_id: true,
            ..scanned("inbox", "team@lists.example.test", "Team")
        };
        assert!(from_message(&list, &own()).is_empty());
        for machine in [
            "MAILER-DAEMON@example.test",
            "postmaster@x.test",
            "no-reply@shop.test",
            "noreply+abc@x.test",
            "do_not_reply@x.test",
            "bounces+123@lists.test",
        ] {
            assert!(
                from_message(&scanned("inbox", machine, ""), &own()).is_empty(),
                "{machine}"
            );
        }
        assert!(from_message(&scanned("junk", "spam@x.test", "Win"), &own()).is_empty());
        assert!(from_message(&scanned("drafts", "bob@x.test", ""), &own()).is_empty());
        assert!(from_message(&scanned("inbox", "", ""), &own()).is_empty());
        assert!(from_message(&scanned("inbox", "a b@x.test", ""), &own()).is_empty());
    }

    #[test]
    fn names_that_are_addresses_or_noise_are_dropped() {
        let got = from_message(&scanned("inbox", "bob@x.test", "bob@x.test"), &own());
        assert_eq!(got[0].name, "");
        let got = from_message(
            &scanned("inbox", "bob@x.test", "paypal@secure.test"),
            &own(),
        );
        assert_eq!(got[0].name, "");
        let long = "é\u{7}".repeat(400);
        let got = from_message(&scanned("inbox", "bob@x.test", &long), &own());
        assert_eq!(got[0].name.chars().count(), 128);
        assert!(!got[0].name.contains('\u{7}'));
    }
}
