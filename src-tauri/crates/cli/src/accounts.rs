//! `courriel account ...`: adding accounts (servers found from the address, or given by
//! hand; checked by logging in; the password or the OAuth2 sign-in kept in the OS
//! keychain), signing in again, removing, identities.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use courriel_engine::api::{
    AuthMethod, Endpoint, Identity, NewAccount, Protocol, Security, SentCopy,
};
use courriel_engine::auth::secrets::PASSWORD_ENV;
use courriel_engine::{new_account_from, Discovery, Found, Retention};
use courriel_engine::{Engine, Error, ErrorKind};

use crate::args::{parse_protocol, parse_retention, parse_security, parse_sent_copy};
use crate::print;

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Add an account: give the address, and its servers are found (or give them by hand
    /// with --imap-host and --smtp-host); the sign-in is checked before anything is saved
    Add(AddArgs),
    /// List accounts
    List {
        #[arg(long)]
        json: bool,
    },
    /// Where an address's settings would come from, without adding anything
    Discover {
        email: String,
        #[command(flatten)]
        lookup: Lookup,
        #[arg(long)]
        json: bool,
    },
    /// Sign an account in again: OAuth2 in the browser, or a new password
    Signin {
        email: String,
        /// Read the new password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account, its cached mail and its secrets in the keychain
    Remove {
        email: String,
        /// Also drop its messages that have not gone out yet
        #[arg(long)]
        discard_outbox: bool,
    },
    /// Add or change a From address (alias) of an account, with its name and signature
    Identity {
        #[arg(long)]
        account: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        signature: String,
        /// Remove this identity instead
        #[arg(long)]
        remove: bool,
    },
    /// The authserv-id of the account's provider: only Authentication-Results headers
    /// with it are believed (without one, it is guessed from the servers or learned from
    /// the INBOX)
    AuthservId {
        #[arg(long)]
        account: String,
        /// The id, e.g. mx.example.org
        #[arg(required_unless_present = "clear")]
        id: Option<String>,
        /// Forget the configured id
        #[arg(long, conflicts_with = "id")]
        clear: bool,
    },
}

/// How autoconfig looks things up (tests point it at their own DNS server and CA).
#[derive(Args, Clone)]
pub struct Lookup {
    /// A DNS server to ask instead of the system's (ip:port)
    #[arg(long, hide = true)]
    dns: Option<SocketAddr>,
    /// The HTTPS port of autoconfig servers [default: 443]
    #[arg(long, hide = true)]
    autoconfig_port: Option<u16>,
    /// An extra CA certificate (PEM) to trust for this account's servers and for
    /// autoconfig
    #[arg(long)]
    ca_file: Option<PathBuf>,
}

impl Lookup {
    fn discovery(&self) -> Discovery {
        Discovery {
            resolver: self.dns,
            ca_file: self.ca_file.clone(),
            http_port: self.autoconfig_port,
            ..Discovery::default()
        }
    }
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    email: String,
    #[arg(long, default_value = "")]
    name: String,
    #[command(flatten)]
    lookup: Lookup,
    /// Read the password from the first line of standard input [default: COURRIEL_PASSWORD]
    #[arg(long)]
    password_stdin: bool,
    /// Sign in with OAuth2 through this provider (google, microsoft, or one in oauth.json)
    #[arg(long)]
    oauth: Option<String>,
    /// Only record the settings: no login check, nothing saved in the keychain (scripts
    /// that pass the secret in COURRIEL_PASSWORD on every run)
    #[arg(long)]
    no_verify: bool,
    /// Login name [default: the address, or what autoconfig says]
    #[arg(long)]
    username: Option<String>,
    /// By hand: how mail is received, imap or pop3
    #[arg(long, value_parser = parse_protocol)]
    protocol: Option<Protocol>,
    /// By hand: the incoming (IMAP or POP3) server
    #[arg(
        long,
        alias = "incoming-host",
        alias = "pop3-host",
        requires = "smtp_host"
    )]
    imap_host: Option<String>,
    /// [default: 993 for IMAP, 995 for POP3]
    #[arg(long, alias = "incoming-port", alias = "pop3-port")]
    imap_port: Option<u16>,
    /// tls (implicit, preferred) or starttls (required, never optional)
    #[arg(long, alias = "incoming-security", alias = "pop3-security", default_value = "tls", value_parser = parse_security)]
    imap_security: Security,
    #[arg(long, requires = "imap_host")]
    smtp_host: Option<String>,
    #[arg(long, default_value_t = 465)]
    smtp_port: u16,
    #[arg(long, default_value = "tls", value_parser = parse_security)]
    smtp_security: Security,
    /// Who files sent mail in Sent: append (Courriel) or provider [default: by provider]
    #[arg(long, value_parser = parse_sent_copy)]
    sent_copy: Option<SentCopy>,
    /// POP3: leave messages on the server (default), delete them N days after fetching
    /// (a number), or mirror local deletions (mirror)
    #[arg(long, value_parser = parse_retention)]
    pop3_retention: Option<Retention>,
    /// A local relay without TLS or AUTH (port 25): only when you mean it
    #[arg(long)]
    smtp_plaintext_no_auth: bool,
}

pub async fn run(engine: &Engine, command: AccountCommand) -> Result<(), Error> {
    match command {
        AccountCommand::Add(args) => add(engine, args).await,
        AccountCommand::List { json } => {
            print::accounts(&engine.accounts().await?, json);
            Ok(())
        }
        AccountCommand::Discover {
            email,
            lookup,
            json,
        } => {
            print::found(&engine.discover(&email, &lookup.discovery()).await?, json);
            Ok(())
        }
        AccountCommand::Signin {
            email,
            password_stdin,
        } => signin(engine, &email, password_stdin).await,
        AccountCommand::Remove {
            email,
            discard_outbox,
        } => {
            engine.remove_account(&email, discard_outbox).await?;
            println!("removed {email}");
            Ok(())
        }
        AccountCommand::Identity {
            account,
            email,
            name,
            signature,
            remove,
        } => {
            let wanted = Identity {
                email,
                name,
                signature,
            };
            identity(engine, &account, wanted, remove).await
        }
        AccountCommand::AuthservId { account, id, .. } => authserv_id(engine, &account, id).await,
    }
}

/// `account identity`: add or change a From address of `account`, or remove it.
async fn identity(
    engine: &Engine,
    account: &str,
    identity: Identity,
    remove: bool,
) -> Result<(), Error> {
    let a = if remove {
        engine.remove_identity(account, &identity.email).await?
    } else {
        engine.save_identity(account, identity).await?
    };
    print::accounts(&[a], false);
    Ok(())
}

/// `account authserv-id`: set (or, with `None`, clear) whose Authentication-Results to
/// believe.
async fn authserv_id(engine: &Engine, account: &str, id: Option<String>) -> Result<(), Error> {
    let said = id.clone();
    engine.set_authserv_id(account, id).await?;
    match said {
        Some(id) => println!("{account}: Authentication-Results from {id} are believed"),
        None => println!("{account}: the provider's authserv-id is guessed or learned"),
    }
    Ok(())
}

async fn add(engine: &Engine, args: AddArgs) -> Result<(), Error> {
    let retention = args.pop3_retention;
    let (mut new, source) = settings(engine, &args).await?;
    if let Some(provider) = &args.oauth {
        new.auth = AuthMethod::OAuth2 {
            provider: provider.clone(),
        };
    } else if let AuthMethod::OAuth2 { provider } = &new.auth {
        // Found by discovery, but this build cannot sign in there: an app password.
        if !args.no_verify && !engine.has_oauth_client(provider) {
            let lang = courriel_engine::lang::Lang::current();
            if let Some(steps) = crate::app_password::steps(provider, lang) {
                eprintln!("{steps}");
            }
            new.auth = AuthMethod::Password;
        }
    }
    let account = if args.no_verify {
        engine.add_account(new).await?
    } else if let AuthMethod::OAuth2 { provider } = new.auth.clone() {
        let authorization = engine.begin_oauth(&provider, Some(&new.email)).await?;
        eprintln!(
            "Open this page to sign in to {}:\n\n  {}\n",
            new.email, authorization.authorize_url
        );
        engine
            .finish_oauth_account(authorization, new, &provider, &source)
            .await?
    } else {
        let password = password(args.password_stdin)?;
        engine.create_account_from(new, &password, &source).await?
    };
    if let Some(retention) = retention {
        engine.set_pop3_retention(&account.email, retention).await?;
    }
    println!(
        "added {} (id {}; settings: {})",
        account.email, account.id, account.settings_source
    );
    Ok(())
}

/// The account's servers: as given, or the best autoconfig found (said on stderr).
async fn settings(engine: &Engine, a: &AddArgs) -> Result<(NewAccount, String), Error> {
    let ca_file = a
        .lookup
        .ca_file
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let mut new = match (&a.imap_host, &a.smtp_host) {
        (Some(imap), Some(smtp)) => by_hand(a, imap, smtp, ca_file),
        _ => {
            let found = engine.discover(&a.email, &a.lookup.discovery()).await?;
            let best: &Found = found.first().ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("no settings found for {}", a.email),
                )
            })?;
            eprintln!("servers for {} ({}):", a.email, best.settings_source());
            eprintln!(
                "  incoming {} {}:{} ({})",
                best.protocol.as_str(),
                best.incoming.host,
                best.incoming.port,
                best.incoming.security.as_str()
            );
            eprintln!(
                "  smtp     {}:{} ({})",
                best.smtp.host,
                best.smtp.port,
                best.smtp.security.as_str()
            );
            let new = new_account_from(best, &a.email, &a.name, ca_file);
            return Ok((with_overrides(new, a), best.settings_source()));
        }
    };
    new = with_overrides(new, a);
    Ok((new, "entered by hand".into()))
}

fn by_hand(a: &AddArgs, imap: &str, smtp: &str, ca_file: Option<String>) -> NewAccount {
    let protocol = a.protocol.unwrap_or(Protocol::Imap);
    NewAccount {
        email: a.email.clone(),
        display_name: a.name.clone(),
        username: a.email.clone(),
        protocol,
        incoming: Endpoint {
            host: imap.to_owned(),
            port: a.imap_port.unwrap_or(match protocol {
                Protocol::Imap => 993,
                Protocol::Pop3 => 995,
            }),
            security: a.imap_security,
        },
        smtp: Endpoint {
            host: smtp.to_owned(),
            port: a.smtp_port,
            security: a.smtp_security,
        },
        ca_file,
        sent_copy: None,
        smtp_plaintext_no_auth: false,
        auth: AuthMethod::Password,
    }
}

fn with_overrides(new: NewAccount, a: &AddArgs) -> NewAccount {
    NewAccount {
        username: a.username.clone().unwrap_or(new.username.clone()),
        sent_copy: a.sent_copy.or(new.sent_copy),
        smtp_plaintext_no_auth: a.smtp_plaintext_no_auth,
        ..new
    }
}

async fn signin(engine: &Engine, email: &str, password_stdin: bool) -> Result<(), Error> {
    let account = engine.account(email).await?;
    let account = match &account.auth {
        AuthMethod::OAuth2 { provider } => {
            let authorization = engine.begin_oauth(provider, Some(email)).await?;
            eprintln!(
                "Open this page to sign in to {email}:\n\n  {}\n",
                authorization.authorize_url
            );
            engine.finish_sign_in(authorization, email).await?
        }
        AuthMethod::Password if !engine.has_keychain() => {
            let account = engine
                .sign_in_for_this_run(email, &password(password_stdin)?)
                .await?;
            println!(
                "signed in {} for this run; no keychain here, so nothing was saved: \
                 give the password in {PASSWORD_ENV} to the commands that need it",
                account.email
            );
            return Ok(());
        }
        AuthMethod::Password => {
            engine
                .change_password(email, &password(password_stdin)?)
                .await?
        }
    };
    println!("signed in {}", account.email);
    Ok(())
}

/// The password: the first line of stdin, or COURRIEL_PASSWORD. Never a command-line
/// argument (other users can read those).
fn password(from_stdin: bool) -> Result<String, Error> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if !password.is_empty() {
            return Ok(password);
        }
    } else if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return Ok(password);
    }
    Err(Error::new(
        ErrorKind::Config,
        format!(
            "no password: give it on standard input with --password-stdin, or in {PASSWORD_ENV}"
        ),
    ))
}
