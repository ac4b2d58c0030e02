use std::collections::{HashMap, HashSet};

use courriel_engine::ingest::{parse, ServerMeta};

use super::*;

/// Tue, 01 Sep 2026 10:00:00 UTC.
const START: i64 = 1_788_256_800;

fn generate(count: usize) -> Vec<Generated> {
    Generator::new(count, START, None).collect()
}

fn header_section(raw: &[u8]) -> &[u8] {
    let end = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .expect("a blank line after the headers");
    &raw[..end]
}

#[test]
fn dates_are_rfc2822_in_the_senders_zone() {
    assert_eq!(rfc2822_date(START, 0), "Tue, 01 Sep 2026 10:00:00 +0000");
    assert_eq!(rfc2822_date(START, 120), "Tue, 01 Sep 2026 12:00:00 +0200");
    assert_eq!(rfc2822_date(START, -300), "Tue, 01 Sep 2026 05:00:00 -0500");
    assert_eq!(rfc2822_date(START, 540), "Tue, 01 Sep 2026 19:00:00 +0900");
    assert_eq!(rfc2822_date(0, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_eq!(
        rfc2822_date(951_782_400, 0),
        "Tue, 29 Feb 2000 00:00:00 +0000"
    );
}

#[test]
fn folder_names_become_maildir_plus_directories() {
    assert_eq!(modified_utf7("Entwürfe"), "Entw&APw-rfe");
    assert_eq!(modified_utf7("A&B"), "A&-B");
    assert_eq!(modified_utf7("日本語"), "&ZeVnLIqe-");
    assert_eq!(maildir_plus_name("Archive").expect("name"), ".Archive");
    assert_eq!(
        maildir_plus_name("Lists/Réunions").expect("name"),
        ".Lists.R&AOk-unions"
    );
    assert!(maildir_plus_name("INBOX").is_err());
    assert!(maildir_plus_name("a.b").is_err());
    assert!(maildir_plus_name("a//b").is_err());
}

#[test]
fn quoted_printable_lines_stay_short_and_round_trip() {
    let text = format!(
        "{}\nCafé à Marseille, déjà vu.   \n\n=equals= and trailing tab\t\n",
        "é".repeat(60)
    );
    let qp = quoted_printable(&text);
    assert!(qp.lines().all(|l| l.len() <= 76), "{qp}");
    assert!(qp.is_ascii());
    // Decode: soft breaks away, =XX back to bytes.
    let joined = qp.replace("=\n", "");
    let mut bytes = Vec::new();
    let mut it = joined.bytes();
    while let Some(b) = it.next() {
        if b == b'=' {
            let hex: String = [it.next(), it.next()]
                .iter()
                .map(|b| char::from(b.expect("two hex digits")))
                .collect();
            bytes.push(u8::from_str_radix(&hex, 16).expect("hex"));
        } else {
            bytes.push(b);
        }
    }
    assert_eq!(String::from_utf8(bytes).expect("utf-8"), text);
}

#[test]
fn the_same_count_gives_the_same_messages() {
    let a = generate(500);
    let b = generate(500);
    assert!(a
        .iter()
        .zip(&b)
        .all(|(x, y)| x.raw == y.raw && x.flags == y.flags));
    // Another folder: other Message-IDs, so two seeded folders never share one.
    let other: Vec<_> = Generator::new(500, START, Some("Archive")).collect();
    let ids: HashSet<_> = a.iter().map(|m| &m.message_id).collect();
    assert!(other.iter().all(|m| !ids.contains(&m.message_id)));
}

#[test]
fn every_message_parses_with_the_headers_it_was_given() {
    let messages = generate(3000);
    let mut ids = HashSet::new();
    for (k, m) in messages.iter().enumerate() {
        assert!(
            ids.insert(m.message_id.clone()),
            "duplicate {}",
            m.message_id
        );
        let head = header_section(&m.raw);
        assert!(head.is_ascii(), "message {k}: 8-bit header");
        for line in head.split(|&b| b == b'\n') {
            assert!(line.len() <= 998, "message {k}: header line too long");
        }
        let p = parse(
            m.raw.clone(),
            ServerMeta {
                uid: k as u32 + 1,
                ..Default::default()
            },
        );
        assert_eq!(
            p.message_id.as_deref(),
            Some(m.message_id.as_str()),
            "message {k}"
        );
        assert_eq!(p.subject, m.subject, "message {k}");
        assert_eq!(
            p.from_name.as_deref(),
            Some(m.from_name.as_str()),
            "message {k}"
        );
        assert!(p.from_addr.contains('@'), "message {k}");
        assert_eq!(p.date, m.date, "message {k}");
        assert_eq!(p.in_reply_to, m.in_reply_to, "message {k}");
        assert_eq!(p.refs, m.references, "message {k}");
        assert!(!p.text.trim().is_empty(), "message {k}: no text");
        assert!(
            !p.text.contains("=C3"),
            "message {k}: quoted-printable left in the text"
        );
        assert_eq!(p.html.is_some(), m.html, "message {k}");
        assert!(p.to_addrs.len() + p.cc_addrs.len() >= 1, "message {k}");
    }
    // Dates go back in time, 1 to 59 minutes apart, the newest at START.
    assert_eq!(messages.last().map(|m| m.date), Some(START));
    assert!(messages
        .windows(2)
        .all(|w| (60..3600).contains(&(w[1].date - w[0].date))));
}

#[test]
fn the_mailbox_is_varied() {
    let messages = generate(5000);
    let n = messages.len();
    let count = |f: &dyn Fn(&Generated) -> bool| messages.iter().filter(|m| f(m)).count();
    let share = |c: usize| c as f64 / n as f64;
    let raw = |m: &Generated| String::from_utf8_lossy(&m.raw).into_owned();

    assert!((0.25..0.45).contains(&share(count(&|m| m.in_reply_to.is_some()))));
    assert!((0.2..0.5).contains(&share(count(&|m| m.html))));
    assert!((0.05..0.2).contains(&share(count(&|m| m.attachments > 0))));
    assert!((0.05..0.2).contains(&share(count(&|m| m.list.is_some()))));
    assert!((0.8..0.97).contains(&share(count(&|m| m.flags.contains('S')))));
    assert!((0.01..0.06).contains(&share(count(&|m| m.flags.contains('F')))));
    assert!(count(&|m| m.flags.is_empty()) > 0);
    assert!(count(&|m| m.flags == "FS") > 0);
    assert!(count(&|m| m.subject.contains('é')) > 0);
    assert!(count(&|m| m.subject.contains("会議")) > 0);
    assert!(count(&|m| m.subject.contains('🎉')) > 0);
    assert!(count(&|m| m.from_name.contains("山田")) > 0);
    assert!(count(&|m| m.from_name.contains('🚀')) > 0);
    for needle in [
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: 8bit",
        "Content-Transfer-Encoding: 7bit",
        "multipart/alternative",
        "multipart/mixed",
        "filename*=utf-8''",
        "filename=\"=?UTF-8?B?",
        "List-Id: ",
        "Subject: =?UTF-8?Q?",
        "Subject: =?UTF-8?B?",
        "From: \"Dupont, Jean\"",
        "format=flowed",
    ] {
        assert!(
            count(&|m| raw(m).contains(needle)) > 0,
            "no message has {needle}"
        );
    }
    // An RFC 2231 file name decodes to the UTF-8 name.
    let m = messages
        .iter()
        .map(raw)
        .find(|r| r.contains("filename*=utf-8''R%C3%A9union"))
        .expect("a non-ASCII RFC 2231 file name");
    assert!(m.contains("filename*=utf-8''R%C3%A9union%20%E2%80%93%20compte%20rendu.pdf"));
    // About 4 KB a message on average, a few long ones.
    let average = messages.iter().map(|m| m.raw.len()).sum::<usize>() / n;
    assert!((1500..8000).contains(&average), "average size {average}");
    assert!(messages.iter().any(|m| m.raw.len() > 10_000));
}

#[test]
fn replies_form_threads_of_two_to_ten() {
    let messages = generate(5000);
    let index: HashMap<&str, usize> = messages
        .iter()
        .enumerate()
        .map(|(k, m)| (m.message_id.as_str(), k))
        .collect();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for (k, m) in messages.iter().enumerate() {
        let Some(parent) = &m.in_reply_to else {
            assert!(m.references.is_empty());
            sizes.insert(&m.message_id, 1);
            continue;
        };
        // The parent came before, the References chain ends with it, starts at a root.
        let p = index[parent.as_str()];
        assert!(p < k && messages[p].date < m.date);
        assert_eq!(m.references.last(), Some(parent));
        assert_eq!(m.references.len(), m.depth);
        let root = &messages[index[m.references[0].as_str()]];
        assert!(root.in_reply_to.is_none());
        assert_eq!(messages[p].references.len() + 1, m.references.len());
        assert_eq!(m.subject, format!("Re: {}", root.subject));
        *sizes.get_mut(root.message_id.as_str()).expect("root") += 1;
    }
    let threads: Vec<usize> = sizes.values().copied().filter(|&s| s > 1).collect();
    assert!(threads.iter().all(|&s| (2..=10).contains(&s)));
    assert!(threads.contains(&2) && threads.contains(&10));
    assert!(threads.len() > 300, "{} threads", threads.len());
}

/// The words of each message (subject, sender, text) as the strictest search engine
/// would split them: at anything but letters, digits and apostrophes.
fn words(messages: Vec<Generated>) -> Vec<HashSet<String>> {
    messages
        .into_iter()
        .enumerate()
        .map(|(k, m)| {
            let p = parse(
                m.raw,
                ServerMeta {
                    uid: k as u32 + 1,
                    ..Default::default()
                },
            );
            format!(
                "{} {} {}",
                p.subject,
                p.from_name.unwrap_or_default(),
                p.text
            )
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(str::to_owned)
            .collect()
        })
        .collect()
}

#[test]
fn search_words_are_words_of_any_mailbox_of_2000() {
    let messages = words(generate(2000));
    for word in SEARCH_WORDS {
        let hits = messages.iter().filter(|m| m.contains(*word)).count();
        assert!(hits >= 20, "{word}: in {hits} messages");
    }
}

#[test]
fn rare_words_are_rare() {
    let messages = words(generate(6000));
    for word in RARE_WORDS {
        let hits = messages.iter().filter(|m| m.contains(*word)).count();
        assert!((1..=40).contains(&hits), "{word}: in {hits} messages");
    }
}

#[test]
fn write_maildir_writes_dovecot_named_files() {
    let dir = tempfile::tempdir().expect("temp");
    let maildir = dir.path().join("Maildir");
    fs::create_dir(&maildir).expect("maildir");
    let seeded = write_maildir(&maildir, None, 300, START).expect("seed");
    assert_eq!(seeded.message_ids.len(), 300);
    assert_eq!(seeded.dir, maildir);
    assert!(seeded.threads > 0 && seeded.replies >= seeded.threads);
    assert!(seeded.seen > 0 && seeded.html > 0 && seeded.with_attachments > 0);
    assert_eq!(seeded.since(START - 86_400), {
        seeded
            .dates
            .iter()
            .filter(|&&d| d >= START - 86_400)
            .count()
    });
    assert!(fs::read_dir(maildir.join("tmp"))
        .expect("tmp")
        .next()
        .is_none());
    let mut total = 0;
    let mut names = Vec::new();
    for entry in fs::read_dir(maildir.join("cur")).expect("cur") {
        let entry = entry.expect("entry");
        let name = entry.file_name().into_string().expect("utf-8 name");
        let data = fs::read(entry.path()).expect("read");
        let (base, flags) = name.split_once(":2,").expect("maildir info");
        let field = |key: &str| -> usize {
            base.split(',')
                .find_map(|f| f.strip_prefix(key))
                .expect("size field")
                .parse()
                .expect("number")
        };
        assert_eq!(field("S="), data.len());
        assert_eq!(
            field("W="),
            data.len() + data.iter().filter(|&&b| b == b'\n').count()
        );
        assert!(flags.chars().is_sorted());
        let secs: i64 = base.split('.').next().expect("secs").parse().expect("secs");
        let mtime = entry.metadata().expect("meta").modified().expect("mtime");
        assert_eq!(
            mtime
                .duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_secs() as i64,
            secs
        );
        total += data.len() as u64;
        names.push(name);
    }
    assert_eq!(names.len(), 300);
    assert_eq!(total, seeded.bytes);

    // A sub-folder, Maildir++ style, with its marker file.
    let sub = write_maildir(&maildir, Some("Lists/Réunions"), 20, START).expect("folder");
    assert_eq!(sub.dir, maildir.join(".Lists.R&AOk-unions"));
    assert!(sub.dir.join("maildirfolder").exists());
    assert_eq!(fs::read_dir(sub.dir.join("cur")).expect("cur").count(), 20);
}
