//! `courriel`: the Courriel engine from the terminal, for scripting, benchmarks and tests.
//! Every subcommand is one `Engine` call. Errors print as one line, `error[kind]: message`,
//! and the exit code tells the kind apart (see `exit_code`).

use std::process::ExitCode;

use clap::Parser;
use courriel_engine::api::MessageAction;
use courriel_engine::{Error, ErrorKind};

use args::{Cli, Command};

/// `println!` that ends the process quietly when standard output is gone (`courriel list
/// --json | head -1`): std's panics with "failed printing to stdout". Defined before the
/// modules, so it replaces std's in all of them.
macro_rules! println {
    () => { $crate::stdout_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::stdout_line(format_args!($($arg)*)) };
}

/// `eprintln!` through the same cleaning as standard output (errors quote servers).
macro_rules! eprintln {
    ($($arg:tt)*) => { $crate::stderr_line(format_args!($($arg)*)) };
}

mod accounts;
mod app_password;
mod args;
mod contacts;
mod delivery;
mod folders;
mod mailbox;
mod open;
mod print;
mod sending;
mod settings;
mod trust;
mod watching;

/// One line to standard output. A closed pipe is the reader saying it has enough: exit
/// at once with status 0, no panic, no message.
///
/// Everything printed passes through `inert::terminal`: subjects, names, file names,
/// bodies, folder names and server replies come from strangers, and an escape sequence
/// among them could retitle the terminal, clear it or rewrite earlier lines. Courriel's
/// own output has no escape sequence to lose; JSON keeps its structure (only characters
/// inside strings can go).
pub(crate) fn stdout_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let line = courriel_engine::inert::terminal(&args.to_string());
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error[storage]: writing the output failed: {e}");
        std::process::exit(exit_code(ErrorKind::Storage).into());
    }
}

/// One line to standard error, cleaned like standard output.
pub(crate) fn stderr_line(args: std::fmt::Arguments<'_>) {
    let line = courriel_engine::inert::terminal(&args.to_string());
    std::eprintln!("{line}");
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

/// One command: each is a short function in the module of its concern.
async fn run(cli: Cli) -> Result<(), Error> {
    let dir = courriel_engine::resolve_data_dir(cli.data_dir)?;
    if let Command::Watch { for_secs, json } = cli.command {
        let engine = std::sync::Arc::new(open::open_engine(&dir)?);
        return watching::watch(engine, for_secs, json).await;
    }
    let engine = &open::open_engine(&dir)?;
    match cli.command {
        Command::Account(command) => accounts::run(engine, command).await,
        Command::Send(args) => sending::send(engine, args).await,
        Command::Outbox { resume, run, json } => sending::outbox(engine, resume, run, json).await,
        Command::Resend { message } => sending::resend(engine, &message).await,
        Command::Draft { message } => sending::outbox_draft(engine, &message).await,
        Command::Discard { message } => sending::discard(engine, &message).await,
        Command::MarkSent { message } => sending::mark_sent(engine, &message).await,
        Command::Trace { message } => sending::trace(engine, &message).await,
        Command::Sync { account, json } => mailbox::sync(engine, &account, json).await,
        Command::Show(args) if args.auth => trust::show_auth(engine, args).await,
        Command::Show(args) if args.source => mailbox::source(engine, args.id).await,
        Command::Show(args) => mailbox::show(engine, args.id, args.json).await,
        Command::DomainCheck(args) => trust::domain_check(engine, args).await,
        Command::Search { query, limit, json } => {
            mailbox::search(engine, &query, limit, json).await
        }
        Command::Thread { id, json } => mailbox::thread(engine, id, json).await,
        Command::Flag(args) => mailbox::flag(engine, args).await,
        Command::Move { ids, folder, json } => {
            mailbox::act(engine, ids, MessageAction::Move(folder), json).await
        }
        Command::Junk { ids, not, json } => {
            let action = if not {
                MessageAction::NotJunk
            } else {
                MessageAction::Junk
            };
            mailbox::act(engine, ids, action, json).await
        }
        Command::Delete { ids, json } => {
            mailbox::act(engine, ids, MessageAction::Delete, json).await
        }
        Command::Archive { ids, json } => {
            mailbox::act(engine, ids, MessageAction::Archive, json).await
        }
        Command::Folder { command } => folders::run(engine, command).await,
        Command::Unsubscribe { id, plan, json } => {
            folders::unsubscribe(engine, id, plan, json).await
        }
        Command::Folders { account, json } => mailbox::folders(engine, &account, json).await,
        Command::List(args) => mailbox::list(engine, args).await,
        Command::Bounces { limit, json } => delivery::bounces(engine, limit, json).await,
        Command::Settings { command, json } => settings::run(engine, command, json).await,
        Command::Contacts(args) => contacts::run(engine, args).await,
        Command::Watch { .. } => Ok(()), // run above, with a shared engine
    }
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
