//! `courriel`: the Courriel engine from the terminal, for scripting, benchmarks and tests.
//! Every subcommand is one `Engine` call. Errors print as one line, `error[kind]: message`,
//! and the exit code tells the kind apart (see `exit_code`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use courriel_engine::api::{
    Attachment, Draft, MessageAction, OutboxState, Protocol, Security, SentCopy,
};
use courriel_engine::auth::secrets::{EnvSecrets, SecretStore, PASSWORD_ENV, TOKEN_ENV};
use courriel_engine::store::pop3::Retention;
use courriel_engine::trust::TrustOptions;
use courriel_engine::{store, Engine, Error, ErrorKind};

/// `println!` that ends the process quietly when standard output is gone (`courriel list
/// --json | head -1`): std's panics with "failed printing to stdout". Defined before the
/// modules, so it replaces std's in all of them.
macro_rules! println {
    () => { $crate::stdout_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::stdout_line(format_args!($($arg)*)) };
}

mod accounts;
mod print;

/// One line to standard output. A closed pipe is the reader saying it has enough: exit
/// at once with status 0, no panic, no message.
pub(crate) fn stdout_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error[storage]: writing the output failed: {e}");
        std::process::exit(exit_code(ErrorKind::Storage).into());
    }
}

#[derive(Parser)]
#[command(
    name = "courriel",
    version,
    about = "Courriel mail engine, from the terminal"
)]
struct Cli {
    /// Where the local cache lives [default: the OS data directory]
    #[arg(long, global = true, env = store::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Manage accounts
    #[command(subcommand)]
    Account(accounts::AccountCommand),
    /// Send a plain-text message (password from COURRIEL_PASSWORD until the keychain lands)
    Send(SendArgs),
    /// Sync an account into the local cache: queued changes go up first, then every
    /// folder comes down (progress on stderr)
    Sync {
        #[arg(long)]
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// The outbox: every message's state; `--resume` first settles interrupted sends
    /// and sends what is due
    Outbox {
        #[arg(long)]
        resume: bool,
        /// Keep sending until the queue is empty (retries, pacing), waiting at most
        /// this many seconds in all
        #[arg(long, value_name = "SECONDS")]
        run: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Send a failed or uncertain outbox message again (by outbox id or Message-ID)
    Resend { message: String },
    /// An outbox message as an editable draft (JSON), e.g. after a 5xx
    Draft { message: String },
    /// Withdraw a message that has not gone out (undo), or drop a failed one
    Discard { message: String },
    /// Declare an uncertain outbox message sent (you checked it arrived)
    MarkSent { message: String },
    /// The recorded SMTP conversation of an outbox message (by outbox id or Message-ID)
    Trace { message: String },
    /// An account's folders with unread and total counts (as of the last sync)
    Folders {
        #[arg(long)]
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// List the unified inbox, or one folder of an account, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// With --folder: whose folder
        #[arg(long, requires = "folder")]
        account: Option<String>,
        /// A folder's name (any case) or role (inbox, sent, archive...)
        #[arg(long, requires = "account")]
        folder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Open a message (by the id `list` and `search` show); a body outside the sync
    /// window is fetched from the server first
    Show {
        id: i64,
        /// Who it is from, as far as it can be proven (SPF, DKIM, DMARC, look-alikes),
        /// instead of the message
        #[arg(long)]
        auth: bool,
        /// A DNS server to ask instead of the system's (ip:port), for --auth
        #[arg(long, requires = "auth")]
        dns: Option<std::net::SocketAddr>,
        #[arg(long)]
        json: bool,
    },
    /// Check your own domain as receivers see it: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT,
    /// each finding with its fix
    DomainCheck {
        /// The domain [default: every domain of your addresses that you control]
        domain: Option<String>,
        /// Then send a test message from this account to itself and show how it arrived
        /// (the provider's Authentication-Results when it adds them)
        #[arg(long, value_name = "ACCOUNT")]
        send_test: Option<String>,
        /// How long to wait for the test message, in seconds
        #[arg(long, default_value_t = 120, requires = "send_test")]
        wait: u64,
        /// A DNS server to ask instead of the system's (ip:port)
        #[arg(long)]
        dns: Option<std::net::SocketAddr>,
        #[arg(long)]
        json: bool,
    },
    /// Search every account's cached mail, newest first: words match as prefixes;
    /// from:, to: and subject: narrow a word to that field
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Every cached message of a message's conversation, oldest first
    Thread {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Mark a message read, unread, flagged, unflagged or answered (here at once, on the
    /// server now or, offline, at the next sync)
    Flag {
        id: i64,
        #[arg(long, conflicts_with = "unseen")]
        seen: bool,
        #[arg(long)]
        unseen: bool,
        #[arg(long, conflicts_with = "unflagged")]
        flagged: bool,
        #[arg(long)]
        unflagged: bool,
        #[arg(long)]
        answered: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move a message to another folder of its account
    Move {
        id: i64,
        /// The folder: its name as shown (any case), the server's name, or a role
        /// (archive, sent, trash, drafts, junk, inbox)
        folder: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a message to Trash; in Trash, delete it for good
    Delete {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Move a message to the Archive folder
    Archive {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct SendArgs {
    /// The sending account's address
    #[arg(long)]
    account: String,
    #[arg(long, required = true)]
    to: Vec<String>,
    #[arg(long)]
    cc: Vec<String>,
    #[arg(long)]
    bcc: Vec<String>,
    #[arg(long, default_value = "")]
    subject: String,
    #[arg(long, default_value = "")]
    body: String,
    /// An HTML version of the body, read from FILE (sent as multipart/alternative)
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Attach FILE (repeatable); its type is guessed from the extension
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<PathBuf>,
    /// Send from this identity of the account [default: the account's address]
    #[arg(long)]
    from: Option<String>,
    /// The Message-ID this replies to (threads the reply)
    #[arg(long)]
    in_reply_to: Option<String>,
    #[arg(long)]
    json: bool,
}

fn parse_retention(s: &str) -> Result<Retention, String> {
    match s {
        "leave" => Ok(Retention::Leave),
        "mirror" => Ok(Retention::Mirror),
        days => days
            .parse()
            .map(Retention::Days)
            .map_err(|_| format!("{s:?}: expected leave, mirror or a number of days")),
    }
}

fn parse_protocol(s: &str) -> Result<Protocol, String> {
    Protocol::parse(s).ok_or_else(|| format!("{s:?}: expected imap or pop3"))
}

fn parse_sent_copy(s: &str) -> Result<SentCopy, String> {
    SentCopy::parse(s).ok_or_else(|| format!("{s:?}: expected append or provider"))
}

fn parse_security(s: &str) -> Result<Security, String> {
    Security::parse(s).ok_or_else(|| format!("{s:?}: expected tls or starttls"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // One line, like every other error, not clap's usage text.
        Err(e) if e.kind() == clap::error::ErrorKind::InvalidUtf8 => {
            eprintln!("error[usage]: an argument is not valid UTF-8 text; give names, addresses and paths as UTF-8");
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    courriel_engine::logging::init(courriel_engine::logging::Level::WARN);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&Error::new(ErrorKind::Bug, e.to_string())),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn run(cli: Cli) -> Result<(), Error> {
    let dir = store::resolve_data_dir(cli.data_dir)?;
    let engine = open_engine(&dir)?;
    match cli.command {
        Command::Account(command) => accounts::run(&engine, command).await?,
        Command::Send(args) => {
            let json = args.json;
            let account = args.account.clone();
            let report = engine.send(&account, draft(args)?).await?;
            print::send_report(&report, json);
            if report.state == OutboxState::Failed {
                let why = report
                    .last_error
                    .as_deref()
                    .unwrap_or("see `courriel outbox`");
                return Err(Error::new(
                    ErrorKind::Rejected,
                    format!("the message was not sent: {why}; it stays in the outbox to edit (`courriel draft {}`)", report.outbox_id),
                ));
            }
        }
        Command::Outbox { resume, run, json } => {
            let reports = match (run, resume) {
                (Some(secs), _) => engine.run_outbox(secs).await?,
                (None, true) => engine.resume_outbox().await?,
                (None, false) => engine.outbox().await?,
            };
            print::outbox(&reports, json);
        }
        Command::Resend { message } => print::send_report(&engine.resend(&message).await?, false),
        Command::Draft { message } => print::draft(&engine.outbox_draft(&message).await?),
        Command::Discard { message } => {
            engine.discard(&message).await?;
            println!("withdrawn");
        }
        Command::MarkSent { message } => {
            print::send_report(&engine.mark_sent(&message).await?, false)
        }
        Command::Trace { message } => {
            let (report, attempts) = engine.trace(&message).await?;
            print::trace(&report, &attempts);
        }
        Command::Sync { account, json } => {
            let report = engine
                .sync_with_progress(&account, &print::progress)
                .await?;
            print::sync_report(&report, json)
        }
        Command::Show {
            id,
            auth: true,
            dns,
            json,
        } => {
            let options = TrustOptions {
                dns,
                ..Default::default()
            };
            print::trust(&engine.message_trust_with(id, &options).await?, json)
        }
        Command::Show { id, json, .. } => print::message(&engine.show(id).await?, json),
        Command::DomainCheck {
            domain,
            send_test,
            wait,
            dns,
            json,
        } => {
            let options = TrustOptions {
                dns,
                ..Default::default()
            };
            let named = domain.is_some();
            let domains = match domain {
                Some(d) => vec![d],
                None => engine.own_domains().await?,
            };
            if domains.is_empty() {
                println!(
                    "Your addresses are all at mail providers (gmail.com, outlook.com...): \
                     there is no domain of yours to check."
                );
                return Ok(());
            }
            let mut reports = Vec::new();
            for d in &domains {
                reports.push(engine.domain_check_with(d, &options).await?);
            }
            let test = match send_test {
                Some(account) => {
                    let wait = std::time::Duration::from_secs(wait);
                    Some(engine.domain_self_test(&account, &options, wait).await?)
                }
                None => None,
            };
            print::domain_reports(&reports, test.as_ref(), named, json);
        }
        Command::Search { query, limit, json } => {
            print::messages(&engine.search(&query, limit).await?, json)
        }
        Command::Thread { id, json } => {
            let thread = engine.store().summary(id)?.thread_id.unwrap_or(id);
            print::messages(&engine.thread(thread).await?, json)
        }
        Command::Flag {
            id,
            seen,
            unseen,
            flagged,
            unflagged,
            answered,
            json,
        } => {
            let mut actions = Vec::new();
            if seen || unseen {
                actions.push(MessageAction::Seen(seen));
            }
            if flagged || unflagged {
                actions.push(MessageAction::Flagged(flagged));
            }
            if answered {
                actions.push(MessageAction::Answered(true));
            }
            if actions.is_empty() {
                return Err(Error::new(
                    ErrorKind::Config,
                    "say what to change: --seen, --unseen, --flagged, --unflagged or --answered",
                ));
            }
            for action in actions {
                engine.act(id, action).await?;
            }
            print::changed(&engine, id, json)?;
        }
        Command::Move { id, folder, json } => {
            engine.act(id, MessageAction::Move(folder)).await?;
            print::changed(&engine, id, json)?;
        }
        Command::Delete { id, json } => {
            engine.act(id, MessageAction::Delete).await?;
            print::changed(&engine, id, json)?;
        }
        Command::Archive { id, json } => {
            engine.act(id, MessageAction::Archive).await?;
            print::changed(&engine, id, json)?;
        }
        Command::Folders { account, json } => {
            print::folders(&engine.folders(&account).await?, json)
        }
        Command::List {
            limit,
            account: Some(account),
            folder: Some(folder),
            json,
        } => print::messages(
            &engine.folder_messages(&account, &folder, limit).await?,
            json,
        ),
        Command::List { limit, json, .. } => {
            print::messages(&engine.list_inbox(limit).await?, json)
        }
    }
    Ok(())
}

/// The engine, reading secrets from the OS keychain, or from `COURRIEL_PASSWORD` /
/// `COURRIEL_OAUTH_TOKEN` when one is set (scripts, tests: the variable wins for the run,
/// nothing is written). New accounts' secrets always go to the keychain.
fn open_engine(dir: &std::path::Path) -> Result<Engine, Error> {
    use courriel_engine::auth::{credentials::Credentials, keychain::Keychain, oauth};
    let from_env = [PASSWORD_ENV, TOKEN_ENV]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    // A missing keychain only matters to commands that need a secret from it: reading
    // the cache, or scripts passing secrets in the environment, work without one.
    let (credentials, down) = match Keychain::open() {
        Ok(keychain) => {
            let providers = oauth::providers(oauth::config_file().as_deref())?;
            (
                Some(Arc::new(Credentials::new(Arc::new(keychain), providers))),
                None,
            )
        }
        Err(e) => (None, Some(e)),
    };
    let secrets: Arc<dyn SecretStore> = match (&credentials, down) {
        _ if from_env => Arc::new(EnvSecrets::default()),
        (Some(c), _) => c.clone(),
        (None, Some(e)) => Arc::new(KeychainDown(e)),
        (None, None) => Arc::new(EnvSecrets::default()),
    };
    let engine = Engine::open(dir, secrets)?;
    Ok(match credentials {
        Some(c) => engine.with_credentials(c),
        None => engine,
    })
}

/// Secrets when the keychain could not be opened: every request says why.
struct KeychainDown(Error);

impl SecretStore for KeychainDown {
    fn secret<'a>(
        &'a self,
        _: &'a courriel_engine::api::Account,
    ) -> courriel_engine::auth::secrets::SecretFuture<'a, courriel_engine::auth::secrets::Secret>
    {
        let e = self.0.clone();
        Box::pin(async move { Err(e) })
    }
}

fn draft(a: SendArgs) -> Result<Draft, Error> {
    let html = match &a.html {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("reading {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    let attachments = a
        .attach
        .iter()
        .map(|p| Attachment {
            path: Some(p.to_string_lossy().into_owned()),
            ..Default::default()
        })
        .collect();
    Ok(Draft {
        to: a.to,
        cc: a.cc,
        bcc: a.bcc,
        subject: a.subject,
        body: a.body,
        html,
        attachments,
        from: a.from,
        in_reply_to: a.in_reply_to,
        ..Default::default()
    })
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("error[{}]: {}", print::kind_name(e.kind), e.message);
    ExitCode::from(exit_code(e.kind))
}

/// Distinct exit codes so scripts can branch without parsing text.
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Config => 2,
        ErrorKind::Auth => 3,
        ErrorKind::Tls => 4,
        ErrorKind::Network => 5,
        ErrorKind::Protocol => 6,
        ErrorKind::Rejected => 7,
        ErrorKind::NotFound => 8,
        ErrorKind::Storage => 9,
        ErrorKind::Keychain => 10,
        ErrorKind::NeedsSignIn => 11,
        ErrorKind::TooLarge => 12,
        ErrorKind::Unavailable => 13,
        ErrorKind::Bug => 70,
    }
}
