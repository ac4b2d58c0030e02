//! Big, realistic mailboxes written straight into a Dovecot maildir, for tests and
//! `make bench`: 100,000 messages in a few seconds, where delivering them over SMTP would
//! take many minutes.
//!
//! The messages are what a real mailbox holds: plain text, text + HTML alternatives,
//! attachments (some with non-ASCII file names, RFC 2231 or RFC 2047 style), RFC 2047
//! subjects and display names (French, Japanese, Cyrillic, emoji), quoted-printable,
//! base64 and 8bit UTF-8 bodies, mailing-list traffic with `List-Id`, and conversations:
//! about a third of the messages answer an earlier one (`In-Reply-To` + `References`, in
//! chains of 2 to 10 messages). Dates go back from `start_date` by 1 to 59 minutes a
//! message (about 48 a day, so 100,000 span some 5.7 years and a 30-day window holds
//! roughly 1,450); each file's mtime is its date, which Dovecot reports as INTERNALDATE.
//! Older messages are mostly read (`:2,S`), a few are flagged or answered.
//!
//! Everything is derived from a fixed seed: the same `count` and `start_date` give the
//! same bytes. The message order is the UID order Dovecot will give them (it numbers new
//! maildir files by the time in their names): oldest first.
//!
//! [`Servers::seed`] writes and then has Dovecot index the mailbox (`doveadm index`), so
//! that the first client to select it does not pay for the indexing.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use crate::Servers;

/// What [`write_maildir`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    /// Every message's Message-ID, without angle brackets, oldest first (= UID order).
    pub message_ids: Vec<String>,
    /// Each message's `Date:` (unix seconds), in the same order; also its file's mtime.
    pub dates: Vec<i64>,
    /// Conversations of two messages or more.
    pub threads: usize,
    /// Messages that answer an earlier one (`In-Reply-To` and `References`).
    pub replies: usize,
    /// Messages with at least one attachment (`multipart/mixed`).
    pub with_attachments: usize,
    /// Messages with an HTML alternative.
    pub html: usize,
    /// Messages from a mailing list (`List-Id`).
    pub mailing_list: usize,
    /// Messages marked read (`S` in the file name).
    pub seen: usize,
    /// Messages marked flagged (`F` in the file name).
    pub flagged: usize,
    /// Size of all the files.
    pub bytes: u64,
    /// The maildir the files went to (`<maildir>` or `<maildir>/.Name`).
    pub dir: PathBuf,
}

impl Seeded {
    /// How many messages are dated `since` (unix seconds) or later, e.g. for a body window.
    pub fn since(&self, since: i64) -> usize {
        self.dates.iter().filter(|&&d| d >= since).count()
    }
}

/// Words that the seeded subjects, bodies and sender names contain, each in a few percent
/// to a third of the messages (in any mailbox of 2,000 messages or more), for search tests
/// and benchmarks. Lowercase letters only, never after an apostrophe ("l'hôtel" is one
/// term to Xapian, two to SQLite's FTS5), so every search engine sees them as words.
pub const SEARCH_WORDS: &[&str] = &[
    "budget",
    "invoice",
    "meeting",
    "hiking",
    "migration",
    "maintenance",
    "parser",
    "holiday",
    "password",
    "report",
    "release",
    "coffee",
    "launch",
    "planning",
    "shipped",
    "réunion",
    "facture",
    "vacances",
    "marseille",
    "déménagement",
    "séminaire",
    "anniversaire",
    "spreadsheet",
    "deadline",
    "database",
    "restaurant",
    "museum",
    "printer",
    "contract",
    "airport",
    "weather",
    "kubernetes",
    "backup",
    "bicycle",
    "garden",
    "piano",
    "conference",
    "schedule",
    "tokyo",
    "ordinateur",
    "croissant",
    "fromage",
    "bicyclette",
    "fournier",
    "natarajan",
    "garcia",
    "levesque",
];

/// Rare words: each in about one message in 600 (a postscript), for searches that find a
/// handful of messages among many.
pub const RARE_WORDS: &[&str] = &[
    "aardvark",
    "xylophone",
    "zeppelin",
    "quokka",
    "origami",
    "kaleidoscope",
    "marzipan",
    "bergamot",
    "tamarind",
    "obsidian",
    "juniper",
    "saffron",
    "gondola",
    "harmonica",
    "igloo",
    "lantern",
    "meringue",
    "narwhal",
    "papyrus",
    "quasar",
    "rhubarb",
    "sequoia",
    "trombone",
    "ukulele",
    "walrus",
];

/// Write `count` messages into the maildir `maildir` (e.g. `servers.get("MAILDIR_BOB")`),
/// or into its sub-folder `folder` ("Archive", "Lists/Rust": Dovecot's Maildir++ layout,
/// `<maildir>/.Lists.Rust`, created if missing, names in modified UTF-7), dated back from
/// `start_date` (unix seconds; the newest message has this date). Files are owned like
/// `maildir` itself (the `mail` user under the test servers), written straight into `cur/`
/// with Dovecot-style names (`<secs>.M<usec>P<pid>_<n>.<host>,S=<size>,W=<vsize>:2,<flags>`:
/// with the sizes in the name Dovecot need not stat or read a file to know them), without
/// fsync. Seed a folder no client has open, then run [`Servers::index_mailbox`] (or use
/// [`Servers::seed`] for both) before a client syncs.
pub fn write_maildir(
    maildir: &Path,
    folder: Option<&str>,
    count: usize,
    start_date: i64,
) -> io::Result<Seeded> {
    let owner = Owner::of(maildir)?;
    let dir = match folder {
        None => maildir.to_path_buf(),
        Some(name) => maildir.join(maildir_plus_name(name)?),
    };
    let new_dir = !dir.exists();
    for sub in ["", "cur", "new", "tmp"] {
        let path = dir.join(sub);
        fs::create_dir_all(&path)?;
        owner.give_path(&path)?;
    }
    if folder.is_some() && new_dir {
        // What Dovecot itself leaves in a Maildir++ sub-folder.
        let marker = File::create(dir.join("maildirfolder"))?;
        owner.give(&marker)?;
    }

    // One thread makes the messages while this one writes them, in batches (a wake-up
    // per message costs more than it saves).
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Generated>>(8);
        scope.spawn(move || {
            let mut messages = Generator::new(count, start_date, folder).peekable();
            while messages.peek().is_some() {
                if tx.send(messages.by_ref().take(64).collect()).is_err() {
                    break; // the writer failed
                }
            }
        });
        write_files(rx.into_iter().flatten(), dir, owner)
    })
}

/// Who owns a maildir (Dovecot reads it as that user): each file written there is handed
/// over, as a delivery would. Unix only: Dovecot runs nowhere else, and elsewhere (the
/// CLI's tests compile on every platform) files stay the writer's.
#[derive(Debug, Clone, Copy)]
pub struct Owner {
    #[cfg(unix)]
    ids: (u32, u32),
}

impl Owner {
    pub fn of(path: &Path) -> io::Result<Owner> {
        let _meta = fs::metadata(path)?;
        Ok(Owner {
            #[cfg(unix)]
            ids: {
                use std::os::unix::fs::MetadataExt;
                (_meta.uid(), _meta.gid())
            },
        })
    }

    /// An open file handed over (`fchown`: one system call, no path lookup).
    pub fn give(self, _file: &File) -> io::Result<()> {
        #[cfg(unix)]
        std::os::unix::fs::fchown(_file, Some(self.ids.0), Some(self.ids.1))?;
        Ok(())
    }

    pub fn give_path(self, _path: &Path) -> io::Result<()> {
        #[cfg(unix)]
        std::os::unix::fs::chown(_path, Some(self.ids.0), Some(self.ids.1))?;
        Ok(())
    }
}

/// Every file name this process writes is unique, even when a folder is seeded twice.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Write the messages straight into `cur/` (no `tmp/` and rename: on this kind of VM
/// each file system call counts, and nothing reads the folder while it is seeded).
fn write_files(
    messages: impl Iterator<Item = Generated>,
    dir: PathBuf,
    owner: Owner,
) -> io::Result<Seeded> {
    let pid = std::process::id();
    let cur = dir.join("cur");
    let mut seeded = Seeded {
        dir,
        ..Seeded::default()
    };
    for message in messages {
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let size = message.raw.len();
        let vsize = size + message.raw.iter().filter(|&&b| b == b'\n').count();
        let name = format!(
            "{}.M{}P{pid}_{n}.courriel-seed,S={size},W={vsize}:2,{}",
            message.date,
            n % 1_000_000,
            message.flags
        );
        let mut file = File::options()
            .write(true)
            .create_new(true)
            .open(cur.join(name))?;
        file.write_all(&message.raw)?;
        owner.give(&file)?;
        let mtime = UNIX_EPOCH + Duration::from_secs(u64::try_from(message.date).unwrap_or(0));
        file.set_modified(mtime)?;
        drop(file);

        seeded.bytes += size as u64;
        seeded.replies += usize::from(message.in_reply_to.is_some());
        seeded.with_attachments += usize::from(message.attachments > 0);
        seeded.html += usize::from(message.html);
        seeded.mailing_list += usize::from(message.list.is_some());
        seeded.seen += usize::from(message.flags.contains('S'));
        seeded.flagged += usize::from(message.flags.contains('F'));
        if message.in_reply_to.is_some() && message.depth == 1 {
            seeded.threads += 1; // the first reply makes a conversation
        }
        seeded.message_ids.push(message.message_id);
        seeded.dates.push(message.date);
    }
    Ok(seeded)
}

impl Servers {
    /// Write `count` messages into `user`'s mailbox (`None`: INBOX) with [`write_maildir`],
    /// then have Dovecot index it ([`Servers::index_mailbox`]). A new folder is subscribed.
    pub fn seed(
        &self,
        user: &str,
        folder: Option<&str>,
        count: usize,
        start_date: i64,
    ) -> io::Result<Seeded> {
        let maildir = PathBuf::from(self.get(&format!("MAILDIR_{}", user.to_uppercase())));
        let seeded = write_maildir(&maildir, folder, count, start_date)?;
        if let Some(name) = folder {
            self.doveadm(&[
                "mailbox",
                "subscribe",
                "-u",
                self.get(&user.to_uppercase()),
                name,
            ])?;
        }
        self.index_mailbox(user, folder.unwrap_or("INBOX"))?;
        Ok(seeded)
    }

    /// Have Dovecot index `mailbox` of `user` ("bob") now: it numbers the new files (UIDs),
    /// builds the index and cache files, so the first client's SELECT does not wait for
    /// that. `mailbox` is the IMAP name in UTF-8 ("INBOX", "Lists/Rust").
    pub fn index_mailbox(&self, user: &str, mailbox: &str) -> io::Result<()> {
        let email = self.get(&user.to_uppercase()).to_owned();
        self.doveadm(&["index", "-u", &email, mailbox]).map(drop)
    }

    /// Run `doveadm` against this instance's Dovecot (its own config and sockets); its
    /// standard output, or an error with its standard error.
    pub fn doveadm(&self, args: &[&str]) -> io::Result<String> {
        let conf = self.state_dir().join("dovecot/dovecot.conf");
        let out = Command::new("doveadm")
            .arg("-c")
            .arg(&conf)
            .args(args)
            .output()?;
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "doveadm {} failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// A folder name ("Lists/Réunions") as its Maildir++ directory (".Lists.R&AOk-unions").
pub fn maildir_plus_name(name: &str) -> io::Result<String> {
    let bad = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{name:?}: {why}"));
    if name.is_empty() || name.eq_ignore_ascii_case("INBOX") {
        return Err(bad("INBOX is the maildir itself: pass no folder"));
    }
    let mut dir = String::new();
    for part in name.split('/') {
        if part.is_empty() || part.contains('.') {
            return Err(bad("empty part, or a '.' (Maildir++'s separator)"));
        }
        dir.push('.');
        dir.push_str(&modified_utf7(part));
    }
    Ok(dir)
}

/// RFC 3501 modified UTF-7, as IMAP and Dovecot's Maildir++ directories name folders.
pub fn modified_utf7(text: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&base64_with(&bytes, MUTF7_ALPHABET, false));
        out.push('-');
        pending.clear();
    };
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            pending.extend_from_slice(c.encode_utf16(&mut [0; 2]));
        }
    }
    flush(&mut pending, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// The generator.

/// One generated message.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Without angle brackets.
    pub message_id: String,
    pub date: i64,
    /// Maildir flags, sorted ("", "S", "FS", "RS").
    pub flags: String,
    pub in_reply_to: Option<String>,
    /// `References`, oldest first (the conversation's root first), without brackets.
    pub references: Vec<String>,
    /// 0 for a first message, 1 for its first reply's position in the chain, and so on.
    pub depth: usize,
    /// The `Subject:` before encoding.
    pub subject: String,
    /// The sender's display name before encoding.
    pub from_name: String,
    pub html: bool,
    pub attachments: usize,
    pub list: Option<&'static str>,
    /// The whole message, LF line ends (as Dovecot stores maildir files).
    pub raw: Vec<u8>,
}

/// The messages of a seeded mailbox, oldest first. Deterministic.
pub struct Generator {
    rng: Rng,
    dates: Vec<i64>,
    next: usize,
    tag: String,
    active: Vec<Thread>,
}

/// A conversation still going on.
struct Thread {
    subject: String,
    /// Message-IDs from the root to the last message.
    chain: Vec<String>,
    /// Planned length, 2..=10 messages.
    planned: usize,
    people: [usize; 2],
    list: Option<usize>,
    /// The last message's text, for quoting.
    last_text: String,
    last_from: usize,
    last_date: i64,
}

/// Conversations going on at once (about one reply every 100 messages each).
const MAX_ACTIVE: usize = 40;
const RECIPIENT: &str = "bob@example.test";

impl Generator {
    /// `count` messages, the newest dated `start_date`; `folder` only goes into the
    /// Message-IDs, so that two seeded folders never share one.
    pub fn new(count: usize, start_date: i64, folder: Option<&str>) -> Generator {
        // Gaps depend on the position only, so the structure does not depend on count.
        let mut dates = vec![0; count];
        let mut date = start_date;
        for k in (0..count).rev() {
            dates[k] = date;
            date -= 60 + (mix(k as u64 ^ 0xda7e) % 3480) as i64;
        }
        let tag: String = folder
            .unwrap_or("inbox")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        Generator {
            rng: Rng(0x5eed_c0c1_4e11),
            dates,
            next: 0,
            tag,
            active: Vec::new(),
        }
    }
}

impl Iterator for Generator {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        let k = self.next;
        let date = *self.dates.get(k)?;
        self.next += 1;
        let count = self.dates.len();
        let rng = &mut self.rng;

        // Answer a conversation, or start something new (which may become one).
        let reply_to =
            (!self.active.is_empty() && rng.chance(0.42)).then(|| rng.below(self.active.len()));
        let (from, subject, list, references, quote, depth);
        match reply_to {
            Some(t) => {
                let thread = &self.active[t];
                // The other participant answers, now and then someone else on the list.
                from = if thread.list.is_some() && rng.chance(0.4) {
                    rng.below(PEOPLE.len())
                } else if thread.last_from == thread.people[0] {
                    thread.people[1]
                } else {
                    thread.people[0]
                };
                subject = format!("Re: {}", thread.subject);
                list = thread.list;
                references = thread.chain.clone();
                depth = thread.chain.len();
                quote = Some((thread.last_from, thread.last_date, thread.last_text.clone()));
            }
            None => {
                from = rng.below(PEOPLE.len());
                list = rng.chance(0.12).then(|| rng.below(LISTS.len()));
                let lang = PEOPLE[from].lang;
                let templates = match lang {
                    Lang::Fr => FR_SUBJECTS,
                    Lang::Ja => JA_SUBJECTS,
                    Lang::En if rng.chance(0.2) => EMOJI_SUBJECTS,
                    Lang::En => EN_SUBJECTS,
                };
                let mut s = rng
                    .pick(templates)
                    .replace("{n}", &(100 + rng.below(9900)).to_string());
                if let Some(l) = list.filter(|&l| !LISTS[l].prefix.is_empty()) {
                    s = format!("{} {s}", LISTS[l].prefix);
                }
                subject = s;
                references = Vec::new();
                depth = 0;
                quote = None;
            }
        }
        let person = &PEOPLE[from];
        let message_id = format!(
            "seed-{}-{k}-{:08x}@{}",
            self.tag,
            mix(k as u64) as u32,
            person.addr.rsplit('@').next().unwrap_or("example.org")
        );
        let text = body_text(
            rng,
            person,
            quote
                .as_ref()
                .map(|(f, d, t)| (&PEOPLE[*f], *d, t.as_str())),
        );
        let html = rng.chance(if depth > 0 { 0.25 } else { 0.4 });
        let attachments = if rng.chance(if depth > 0 { 0.05 } else { 0.16 }) {
            1 + usize::from(rng.chance(0.2))
        } else {
            0
        };

        // Older mail is mostly read; the newest 3% mostly not.
        let recent = k * 100 >= count * 97;
        let seen = rng.chance(if recent { 0.3 } else { 0.95 });
        let flagged = rng.chance(0.03);
        let answered = seen && rng.chance(0.08);
        let mut flags = String::new();
        if flagged {
            flags.push('F');
        }
        if answered {
            flags.push('R');
        }
        if seen {
            flags.push('S');
        }

        let in_reply_to = references.last().cloned();
        let message = Message {
            k,
            date,
            from: person,
            subject: &subject,
            message_id: &message_id,
            references: &references,
            list: list.map(|l| &LISTS[l]),
            text: &text,
            html,
            attachments,
        };
        let raw = message.render(rng);

        // Keep the conversation going, or let it end.
        match reply_to {
            Some(t) => {
                let thread = &mut self.active[t];
                thread.chain.push(message_id.clone());
                thread.last_text = text;
                thread.last_from = from;
                thread.last_date = date;
                if thread.chain.len() >= thread.planned {
                    self.active.swap_remove(t);
                }
            }
            None if self.active.len() < MAX_ACTIVE && rng.chance(0.35) => {
                let other = (from + 1 + rng.below(PEOPLE.len() - 1)) % PEOPLE.len();
                self.active.push(Thread {
                    subject: subject.clone(),
                    chain: vec![message_id.clone()],
                    planned: 2 + rng.below(9),
                    people: [from, other],
                    list,
                    last_text: text,
                    last_from: from,
                    last_date: date,
                });
            }
            None => {}
        }

        Some(Generated {
            message_id,
            date,
            flags,
            in_reply_to,
            references,
            depth,
            subject,
            from_name: person.name.to_owned(),
            html,
            attachments,
            list: list.map(|l| LISTS[l].id),
            raw,
        })
    }
}

/// The plain text of a message: a greeting, a few paragraphs, maybe a signature, and for
/// a reply the quoted previous message.
fn body_text(rng: &mut Rng, from: &Person, quote: Option<(&Person, i64, &str)>) -> String {
    let (greetings, sentences) = match from.lang {
        Lang::En => (EN_GREETINGS, EN_SENTENCES),
        Lang::Fr => (FR_GREETINGS, FR_SENTENCES),
        Lang::Ja => (JA_GREETINGS, JA_SENTENCES),
    };
    let mut text = String::new();
    let greeting: &str = rng.pick::<&str>(greetings);
    text.push_str(greeting);
    text.push_str("\n\n");
    // Mostly short; one in twenty is a long one.
    let paragraphs = if rng.chance(0.05) {
        12 + rng.below(20)
    } else {
        1 + rng.below(4)
    };
    // Each sentence once, until a long message has used them all.
    let mut used = 0u64;
    for _ in 0..paragraphs {
        let mut line_len = 0;
        for _ in 0..2 + rng.below(5) {
            let sentence = if rng.chance(0.04) {
                rng.pick(EMOJI_SENTENCES)
            } else {
                if used.count_ones() as usize == sentences.len() {
                    used = 0;
                }
                let mut i = rng.below(sentences.len());
                while used & 1 << i != 0 {
                    i = (i + 1) % sentences.len();
                }
                used |= 1 << i;
                &sentences[i]
            };
            // Wrap at about 72 columns, as mail clients do.
            for word in sentence.split(' ') {
                if line_len > 0 && line_len + word.chars().count() > 72 {
                    text.push('\n');
                    line_len = 0;
                } else if line_len > 0 {
                    text.push(' ');
                    line_len += 1;
                }
                text.push_str(word);
                line_len += word.chars().count();
            }
        }
        text.push_str("\n\n");
    }
    if rng.chance(0.04) {
        let word = rng.pick(RARE_WORDS);
        let _ = write!(text, "P.S. Did you see the {word} at the market?\n\n");
    }
    if rng.chance(0.6) {
        let _ = write!(text, "-- \n{}\n", from.name);
    }
    if let Some((who, date, previous)) = quote {
        let when = rfc2822_date(date, who.offset);
        match from.lang {
            Lang::Fr => {
                let _ = writeln!(text, "\nLe {when}, {} a écrit :", who.name);
            }
            Lang::Ja => {
                let _ = writeln!(text, "\n{when} {} さんは書きました:", who.name);
            }
            Lang::En => {
                let _ = writeln!(text, "\nOn {when}, {} wrote:", who.name);
            }
        }
        // The previous message without its own quote's tail: at most 12 lines.
        for line in previous.lines().take(12) {
            text.push('>');
            if !line.is_empty() && !line.starts_with('>') {
                text.push(' ');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

struct Message<'a> {
    k: usize,
    date: i64,
    from: &'a Person,
    subject: &'a str,
    message_id: &'a str,
    references: &'a [String],
    list: Option<&'a List>,
    text: &'a str,
    html: bool,
    attachments: usize,
}

impl Message<'_> {
    fn render(&self, rng: &mut Rng) -> Vec<u8> {
        let mut out = String::with_capacity(4096);
        let domain = self.from.addr.rsplit('@').next().unwrap_or("example.org");
        let _ = write!(
            out,
            "Return-Path: <{addr}>\nDelivered-To: {RECIPIENT}\n\
             Received: from mail.{domain} (mail.{domain} [192.0.2.{ip}])\n\
             \tby mx.example.test (Postfix) with ESMTPS id {qid:010X}\n\
             \tfor <{RECIPIENT}>; {received}\n",
            addr = self.from.addr,
            ip = 1 + self.k % 250,
            qid = mix(self.k as u64 ^ 0x9e1d) & 0xff_ffff_ffff,
            received = rfc2822_date(self.date + 2, 0),
        );
        let _ = writeln!(out, "Date: {}", rfc2822_date(self.date, self.from.offset));
        let _ = writeln!(out, "From: {}", mailbox(self.from.name, self.from.addr));
        match self.list {
            Some(list) => {
                let _ = writeln!(out, "To: {}", list.addr);
                let _ = writeln!(out, "Cc: Bob <{RECIPIENT}>");
            }
            None if rng.chance(0.15) => {
                let cc = &PEOPLE[rng.below(PEOPLE.len())];
                let _ = writeln!(out, "To: Bob <{RECIPIENT}>");
                let _ = writeln!(out, "Cc: {}", mailbox(cc.name, cc.addr));
            }
            None => {
                let _ = writeln!(out, "To: Bob <{RECIPIENT}>");
            }
        }
        let _ = writeln!(out, "Subject: {}", encode_subject(self.subject));
        let _ = writeln!(out, "Message-ID: <{}>", self.message_id);
        if let Some(parent) = self.references.last() {
            let _ = writeln!(out, "In-Reply-To: <{parent}>");
            out.push_str("References:");
            for (i, id) in self.references.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { "\n " });
                let _ = write!(out, "<{id}>");
            }
            out.push('\n');
        }
        if let Some(list) = self.list {
            let _ = write!(
                out,
                "List-Id: {} <{}>\nList-Unsubscribe: <mailto:{}?subject=unsubscribe>\n\
                 List-Post: <mailto:{}>\nPrecedence: list\n",
                list.name,
                list.id,
                list.addr.replace('@', "-request@"),
                list.addr
            );
        }
        if rng.chance(0.3) {
            let mailer: &str = rng.pick::<&str>(MAILERS);
            out.push_str(mailer);
            out.push('\n');
        }
        out.push_str("MIME-Version: 1.0\n");

        let boundary =
            |kind: &str| format!("----=_{kind}_{}_{:08x}", self.k, mix(self.k as u64 ^ 0xb0));
        let mut body = String::new();
        let text_part = text_part(self.text, self.from.lang, rng);
        let inner = if self.html {
            let b = boundary("Alt");
            let html = html_part(self.text);
            let _ = write!(
                body,
                "Content-Type: multipart/alternative; boundary=\"{b}\"\n\n\
                 --{b}\n{text_part}\n--{b}\n{html}\n--{b}--\n"
            );
            std::mem::take(&mut body)
        } else {
            text_part
        };
        if self.attachments > 0 {
            let b = boundary("Mixed");
            let _ = write!(
                body,
                "Content-Type: multipart/mixed; boundary=\"{b}\"\n\n\
                 This is a multi-part message in MIME format.\n\n--{b}\n{inner}"
            );
            for _ in 0..self.attachments {
                let _ = write!(body, "\n--{b}\n{}", attachment(rng));
            }
            let _ = write!(body, "\n--{b}--\n");
        } else {
            body = inner;
        }
        out.push_str(&body);
        out.into_bytes()
    }
}

/// The text/plain part, headers included: 7bit for ASCII, else quoted-printable, base64
/// (most Japanese mail) or 8bit.
fn text_part(text: &str, lang: Lang, rng: &mut Rng) -> String {
    let flowed = if rng.chance(0.2) {
        "; format=flowed"
    } else {
        ""
    };
    if text.is_ascii() {
        return format!("Content-Type: text/plain; charset=us-ascii{flowed}\nContent-Transfer-Encoding: 7bit\n\n{text}");
    }
    let head =
        format!("Content-Type: text/plain; charset=utf-8{flowed}\nContent-Transfer-Encoding:");
    if lang == Lang::Ja && rng.chance(0.7) {
        format!("{head} base64\n\n{}", base64_lines(text.as_bytes()))
    } else if rng.chance(0.1) {
        format!("{head} 8bit\n\n{text}")
    } else {
        format!("{head} quoted-printable\n\n{}", quoted_printable(text))
    }
}

fn html_part(text: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: sans-serif\">\n",
    );
    let mut quoting = false;
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let is_quote = para.lines().all(|l| l.starts_with('>') || l.ends_with(':'));
        if is_quote && !quoting {
            html.push_str(
                "<blockquote style=\"border-left: 2px solid #ccc; padding-left: 1em\">\n",
            );
            quoting = true;
        }
        html.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                html.push_str("<br>\n");
            }
            escape_html(line.trim_start_matches(['>', ' ']), &mut html);
        }
        html.push_str("</p>\n");
    }
    if quoting {
        html.push_str("</blockquote>\n");
    }
    html.push_str("</body></html>\n");
    format!(
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{}",
        quoted_printable(&html)
    )
}

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// One attachment part, 200 bytes to 3 KB, base64.
fn attachment(rng: &mut Rng) -> String {
    let (name, mime) = *rng.pick(ATTACHMENTS);
    let len = 200 + rng.below(2800);
    let content: Vec<u8> = match mime {
        "text/csv" => {
            let mut csv = String::from("date,amount,label\n");
            while csv.len() < len {
                let _ = writeln!(
                    csv,
                    "2024-{:02}-{:02},{}.{:02},item {}",
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(5000),
                    rng.below(100),
                    rng.below(1000)
                );
            }
            csv.into_bytes()
        }
        _ => {
            let magic: &[u8] = match mime {
                "application/pdf" => b"%PDF-1.4\n",
                "image/png" => b"\x89PNG\r\n\x1a\n",
                _ => b"",
            };
            let mut bytes = magic.to_vec();
            bytes.extend((0..len).map(|_| rng.next_u64() as u8));
            bytes
        }
    };
    let (ct_name, cd_name) = if name.is_ascii() {
        (format!("name=\"{name}\""), format!("filename=\"{name}\""))
    } else if rng.chance(0.5) {
        // RFC 2231, as Thunderbird and Apple Mail write it.
        let pct = rfc2231_value(name);
        (
            format!("name*=utf-8''{pct}"),
            format!("filename*=utf-8''{pct}"),
        )
    } else {
        // RFC 2047 inside the quotes: not standard, but what Gmail and Outlook send.
        let enc = encode_words(name, true).join(" ");
        (format!("name=\"{enc}\""), format!("filename=\"{enc}\""))
    };
    format!(
        "Content-Type: {mime};\n {ct_name}\nContent-Disposition: attachment;\n {cd_name}\n\
         Content-Transfer-Encoding: base64\n\n{}",
        base64_lines(&content)
    )
}

// ---------------------------------------------------------------------------------------
// Encodings.

/// `Name <addr>`: the display name as an RFC 2047 encoded word when it is not ASCII,
/// quoted when it holds specials.
fn mailbox(name: &str, addr: &str) -> String {
    if !name.is_ascii() {
        format!("{} <{addr}>", encode_words(name, false).join("\n "))
    } else if name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
        format!(
            "\"{}\" <{addr}>",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        )
    } else {
        format!("{name} <{addr}>")
    }
}

/// A Subject: as is when ASCII, else RFC 2047 (a "Re: " prefix stays readable, as most
/// clients write it), folded between encoded words.
fn encode_subject(subject: &str) -> String {
    if subject.is_ascii() {
        return subject.to_owned();
    }
    let (prefix, rest) = match subject.strip_prefix("Re: ") {
        Some(rest) => ("Re: ", rest),
        None => ("", subject),
    };
    format!("{prefix}{}", encode_words(rest, false).join("\n "))
}

/// RFC 2047 encoded words of at most 75 characters, split between characters. Q when
/// the text is mostly Latin (French), B otherwise.
fn encode_words(text: &str, force_b: bool) -> Vec<String> {
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let use_q = !force_b && non_ascii * 4 < text.chars().count();
    let mut words = Vec::new();
    let mut chunk = String::new();
    let encoded_len = |s: &str| {
        if use_q {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b == b' ' {
                        1
                    } else {
                        3
                    }
                })
                .sum::<usize>()
        } else {
            s.len().div_ceil(3) * 4
        }
    };
    let finish = |chunk: &str| {
        if use_q {
            let mut q = String::from("=?UTF-8?Q?");
            for b in chunk.bytes() {
                match b {
                    b' ' => q.push('_'),
                    b if b.is_ascii_alphanumeric() => q.push(b as char),
                    b => {
                        let _ = write!(q, "={b:02X}");
                    }
                }
            }
            q + "?="
        } else {
            format!(
                "=?UTF-8?B?{}?=",
                base64_with(chunk.as_bytes(), STD_ALPHABET, true)
            )
        }
    };
    for c in text.chars() {
        let mut longer = chunk.clone();
        longer.push(c);
        if !chunk.is_empty() && encoded_len(&longer) > 63 {
            words.push(finish(&chunk));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(finish(&chunk));
    }
    words
}

/// RFC 2231 percent-encoding of a parameter value (UTF-8).
fn rfc2231_value(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Quoted-printable (RFC 2045) of LF-separated text: lines of at most 76 characters,
/// trailing spaces encoded.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 11 / 10);
    for line in text.split_inclusive('\n') {
        let (line, newline) = match line.strip_suffix('\n') {
            Some(l) => (l, true),
            None => (line, false),
        };
        let bytes = line.as_bytes();
        let mut col = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal =
                (b == b' ' || b == b'\t') && !last || (b'!'..=b'~').contains(&b) && b != b'=';
            let width = if literal { 1 } else { 3 };
            // Room for the soft break's '=' unless this is the line's last character.
            if col + width > if last { 76 } else { 75 } {
                out.push_str("=\n");
                col = 0;
            }
            if literal {
                out.push(b as char);
            } else {
                let _ = write!(out, "={b:02X}");
            }
            col += width;
        }
        if newline {
            out.push('\n');
        }
    }
    out
}

const STD_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const MUTF7_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

fn base64_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 in lines of 76 characters, as MIME bodies are.
fn base64_lines(bytes: &[u8]) -> String {
    let flat = base64_with(bytes, STD_ALPHABET, true);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for line in flat.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// "Tue, 01 Sep 2026 10:00:00 +0200" for unix seconds `t` seen from `offset` minutes.
pub fn rfc2822_date(t: i64, offset: i32) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = t + i64::from(offset) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let sign = if offset < 0 { '-' } else { '+' };
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        offset.abs() / 60,
        offset.abs() % 60
    )
}

// ---------------------------------------------------------------------------------------
// Randomness: SplitMix64, fixed seed.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) < p * (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------
// The cast and the words.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Fr,
    Ja,
}

struct Person {
    name: &'static str,
    addr: &'static str,
    lang: Lang,
    /// UTC offset of their Date: header, minutes.
    offset: i32,
}

const fn person(name: &'static str, addr: &'static str, lang: Lang, offset: i32) -> Person {
    Person {
        name,
        addr,
        lang,
        offset,
    }
}

const PEOPLE: &[Person] = &[
    person("Alice Martin", "alice.martin@example.org", Lang::En, 0),
    person("Priya Natarajan", "priya@example.com", Lang::En, 330),
    person(
        "James O'Connor",
        "james.oconnor@example.net",
        Lang::En,
        -300,
    ),
    person("Sarah Johnson", "sjohnson@example.org", Lang::En, -480),
    person("Chen Wei", "chen.wei@example.com", Lang::En, 480),
    person("José Garcia", "jose.garcia@example.es", Lang::En, 60),
    person("Ольга Иванова", "olga.ivanova@example.ru", Lang::En, 180),
    person("🚀 Launch Team", "launch@example.com", Lang::En, -420),
    person(
        "Élodie Fournier",
        "elodie.fournier@exemple.fr",
        Lang::Fr,
        60,
    ),
    person(
        "François Müller",
        "francois.muller@exemple.ch",
        Lang::Fr,
        120,
    ),
    person(
        "Marc-André Levesque",
        "ma.levesque@exemple.ca",
        Lang::Fr,
        -240,
    ),
    person("Zoé Lefèvre", "zoe.lefevre@exemple.fr", Lang::Fr, 60),
    person("Dupont, Jean", "jean.dupont@exemple.fr", Lang::Fr, 120),
    person("Café ☕ Bot", "cafe-bot@exemple.fr", Lang::Fr, 60),
    person("山田 太郎", "yamada@example.jp", Lang::Ja, 540),
    person("佐藤 花子", "hanako.sato@example.jp", Lang::Ja, 540),
    person("鈴木 一郎", "suzuki@example.jp", Lang::Ja, 540),
];

struct List {
    name: &'static str,
    id: &'static str,
    addr: &'static str,
    prefix: &'static str,
}

const LISTS: &[List] = &[
    List {
        name: "Rust users",
        id: "rust-users.lists.example.org",
        addr: "rust-users@lists.example.org",
        prefix: "[rust-users]",
    },
    List {
        name: "Annonces de l'association",
        id: "annonces.exemple.fr",
        addr: "annonces@exemple.fr",
        prefix: "[Annonces]",
    },
    List {
        name: "Dovecot",
        id: "dovecot.dovecot.example",
        addr: "dovecot@dovecot.example",
        prefix: "",
    },
];

const MAILERS: &[&str] = &[
    "User-Agent: Mozilla Thunderbird",
    "X-Mailer: Apple Mail (2.3774.300.61.1.2)",
    "User-Agent: Mutt/2.2.12 (2023-09-09)",
    "X-Mailer: Microsoft Outlook 16.0",
];

const EN_SUBJECTS: &[&str] = &[
    "Quarterly report {n}",
    "Invoice #{n} for March",
    "Meeting notes: project Falcon",
    "Weekend hiking trip",
    "Question about the database migration",
    "Your order {n} has shipped",
    "Server maintenance window tonight",
    "Pull request #{n}: fix the parser",
    "Lunch on Friday?",
    "Budget review {n}",
    "Holiday photos",
    "Ticket {n}: password reset",
];

const EMOJI_SUBJECTS: &[&str] = &[
    "🎉 Release {n} is out",
    "☕ Coffee break?",
    "🚀 Launch checklist",
    "Re-scheduled 📅 planning",
];

const FR_SUBJECTS: &[&str] = &[
    "Réunion budget du trimestre {n}",
    "Compte rendu de la réunion",
    "Café demain ?",
    "Facture n° {n}",
    "Vacances d'été à Marseille",
    "Déménagement : besoin d'aide",
    "Rappel : anniversaire d'Hélène",
    "Préparation du séminaire",
];

const JA_SUBJECTS: &[&str] = &[
    "会議の議事録 {n}",
    "来週の打ち合わせについて",
    "見積書の送付 (invoice {n})",
    "東京出張の件",
];

const EN_GREETINGS: &[&str] = &["Hi Bob,", "Hello team,", "Hey,", "Good morning Bob,"];
const FR_GREETINGS: &[&str] = &["Bonjour Bob,", "Salut,", "Bonjour à tous,", "Cher Bob,"];
const JA_GREETINGS: &[&str] = &["ボブさん", "お疲れ様です。", "皆様"];

const EN_SENTENCES: &[&str] = &[
    "Could you send me the updated spreadsheet before the deadline on Thursday?",
    "The database migration is scheduled for Saturday night, so expect a short outage.",
    "I have attached the report; the numbers for the third quarter look much better.",
    "We should book the restaurant near the museum for the team dinner.",
    "The printer on the second floor is jammed again, I called the technician.",
    "Don't forget to renew the contract with the cleaning company before the end of the month.",
    "Our flight lands at the airport at 7 pm, can someone pick us up?",
    "The weather forecast says it will rain all weekend, maybe we postpone the hike.",
    "The Kubernetes upgrade went fine on staging; production is next week.",
    "Let's keep the backup running nightly until the new storage arrives.",
    "I bought a second-hand bicycle and now I ride to work every day.",
    "The garden needs watering while we are away, thanks for offering.",
    "She played the piano at the conference reception, it was lovely.",
    "Please review the schedule and tell me which slot works for you.",
    "Thanks for the quick answer, that solves it.",
    "I'm out of the office until Monday with limited access to email.",
    "The new intern starts on Tuesday; could you show her around the lab?",
    "My train was cancelled, so I will join the call from the station.",
    "The invoice from the hosting provider is higher than expected this month.",
    "Can we move the retrospective to the afternoon?",
    "The client loved the prototype and asked for a second demo next month.",
    "I left my umbrella in the meeting room, has anyone seen it?",
    "The firmware update bricked two of the test routers, rolling back now.",
    "Remember to submit your expense reports by Friday noon.",
    "Grandma's recipe for apple pie is attached, as promised.",
    "The parking garage will be closed for repairs next week.",
];

const FR_SENTENCES: &[&str] = &[
    "Pourriez-vous m'envoyer le tableau mis à jour avant jeudi ?",
    "La réunion est déplacée à 14 h dans la salle Molière.",
    "J'ai oublié mon ordinateur au bureau, je travaillerai depuis chez moi demain.",
    "On se retrouve au café en face de la gare pour un croissant ?",
    "Le déménagement est prévu le 12, nous aurons besoin de bras et d'une camionnette.",
    "Les vacances à Marseille étaient formidables, il a fait beau toute la semaine.",
    "Merci pour le fromage, toute la famille s'est régalée !",
    "La facture sera réglée par virement d'ici la fin du mois.",
    "Je viendrai à bicyclette, il n'y a plus de place pour se garer.",
    "Le séminaire aura lieu à Lyon ; l'hôtel est déjà réservé.",
    "N'oubliez pas l'anniversaire d'Hélène samedi soir !",
    "Voici le compte rendu, dites-moi si j'ai oublié quelque chose.",
    "Le train de 8 h 12 a encore été supprimé, je serai en retard.",
    "Nous avons reçu le devis du plombier, il est raisonnable.",
    "Les enfants partent en colonie de vacances dès lundi.",
    "Peux-tu relire la présentation avant la soutenance ?",
    "La bibliothèque municipale ferme plus tôt pendant les travaux.",
    "Il faudra penser à renouveler l'assurance de la voiture.",
    "Le concert de jazz au kiosque est annulé à cause de la pluie.",
    "J'ai planté des tomates et du basilic sur le balcon.",
];

const JA_SENTENCES: &[&str] = &[
    "来週の会議の資料を添付しました。",
    "東京 (Tokyo) への出張は火曜日から木曜日までです。",
    "見積書をご確認のうえ、ご返信いただけますと幸いです。",
    "新しいスケジュール (schedule) を共有します。",
    "よろしくお願いいたします。",
    "会議室は三階の大会議室です。",
    "資料の修正版を明日までにお送りします。",
    "本日の打ち合わせ、ありがとうございました。",
    "京都 (Kyoto) の支店にも共有をお願いします。",
    "来月の予算 (budget) について相談させてください。",
];

const EMOJI_SENTENCES: &[&str] = &[
    "Great job everyone 🎉🎉",
    "Ship it 🚀",
    "Coffee at 10? ☕",
    "Bravo à toute l'équipe 👏",
];

const ATTACHMENTS: &[(&str, &str)] = &[
    ("report-q3.csv", "text/csv"),
    ("invoice.pdf", "application/pdf"),
    ("photo.png", "image/png"),
    ("Réunion – compte rendu.pdf", "application/pdf"),
    ("見積書.pdf", "application/pdf"),
    ("données été.csv", "text/csv"),
    ("🎉 party.png", "image/png"),
];

#[cfg(test)]
mod tests;
