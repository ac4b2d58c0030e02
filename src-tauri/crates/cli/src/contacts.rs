//! `courriel contacts [QUERY]`: the address book completion draws on, best first, found
//! by any word of a name or address (accents and case aside); `courriel contacts forget
//! ADDRESS` forgets one until you write to it again.

use clap::{Args, Subcommand};
use courriel_engine::api::Contact;
use courriel_engine::{Engine, Error};

use crate::print::when;

// `courriel contacts`
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ContactsArgs {
    #[command(subcommand)]
    pub command: Option<ContactsCommand>,
    /// Words that start the name or address wanted ("dup", "zoe mar"); none: the best
    pub query: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Forget an address: no longer suggested, nor learned again from mail you receive;
    /// writing to it again brings it back
    Forget {
        address: String,
        #[arg(long)]
        json: bool,
    },
}

/// Reads the mail synced since the last time first, so what `sync` brought is counted.
pub async fn run(engine: &Engine, args: ContactsArgs) -> Result<(), Error> {
    if let Some(ContactsCommand::Forget { address, json }) = args.command {
        return forget(engine, &address, json).await;
    }
    engine.learn_contacts().await?;
    let query = args.query.unwrap_or_default();
    let found = engine.contacts(&query, args.limit).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        );
        return Ok(());
    }
    if found.is_empty() {
        println!("no contacts match \"{query}\"");
    }
    for contact in &found {
        println!("{}", line(contact));
    }
    Ok(())
}

async fn forget(engine: &Engine, address: &str, json: bool) -> Result<(), Error> {
    let was = engine.forget_contact(address).await?;
    let address = address.trim().to_lowercase();
    if json {
        println!(
            "{}",
            serde_json::json!({ "address": address, "wasContact": was })
        );
    } else if was {
        println!("forgot {address}: it comes back only when you write to it");
    } else {
        println!("{address} was not a contact; mail from it will not make it one");
    }
    Ok(())
}

/// "Zoë Durand <zoe@example.org>  sent 3, replied 1, received 4; last 2026-11-30T14:02:00+01:00"
fn line(c: &Contact) -> String {
    format!(
        "{}  sent {}, replied {}, received {}; last {}",
        c.mailbox(),
        c.sent,
        c.replied,
        c.received,
        when(c.last_at)
    )
}
