//! Folder management and leaving lists: `courriel folder create|rename|delete` and
//! `courriel unsubscribe`. The CLI opens no browser: when a list can only be left on its
//! page, the page's address is printed (and given in `--json`) for the user to open.

use clap::Subcommand;
use courriel_engine::api::{Folder, UnsubscribeKind, UnsubscribePlan, Unsubscribed};
use courriel_engine::{Engine, Error};
use serde::Serialize;

#[derive(Subcommand, Debug)]
pub enum FolderCommand {
    /// Make a folder on the server (subscribed), at the top or inside --parent
    Create {
        #[arg(long)]
        account: String,
        /// The new folder's name, as it will show (no folder separator in it)
        name: String,
        /// The folder to make it in (its name as shown, the server's name, or a role)
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rename a folder (not a special-use one); its messages and subfolders follow
    Rename {
        #[arg(long)]
        account: String,
        folder: String,
        /// The new name, in the same parent folder
        new_name: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a folder (not a special-use one, nor one with subfolders) and its messages
    Delete {
        #[arg(long)]
        account: String,
        folder: String,
        #[arg(long)]
        json: bool,
    },
}

/// `courriel folder ...`.
pub async fn run(engine: &Engine, command: FolderCommand) -> Result<(), Error> {
    match command {
        FolderCommand::Create {
            account,
            name,
            parent,
            json,
        } => {
            let made = engine
                .create_folder(&account, parent.as_deref(), &name)
                .await?;
            shown(&made, "created", json);
        }
        FolderCommand::Rename {
            account,
            folder,
            new_name,
            json,
        } => {
            let renamed = engine.rename_folder(&account, &folder, &new_name).await?;
            shown(&renamed, "renamed", json);
        }
        FolderCommand::Delete {
            account,
            folder,
            json,
        } => {
            engine.delete_folder(&account, &folder).await?;
            if json {
                print_json(&serde_json::json!({ "deleted": folder }));
            } else {
                println!("deleted {folder}");
            }
        }
    }
    Ok(())
}

fn shown(folder: &Folder, what: &str, json: bool) {
    if json {
        return print_json(folder);
    }
    println!(
        "{what} {} (on the server: {})",
        folder.display_name, folder.name
    );
}

/// `courriel unsubscribe ID [--plan]`: what will be done, or do it and say what was done.
pub async fn unsubscribe(
    engine: &Engine,
    id: i64,
    plan_only: bool,
    json: bool,
) -> Result<(), Error> {
    if plan_only {
        let plan = engine.unsubscribe_plan(id).await?;
        if json {
            print_json(&plan);
            return Ok(());
        }
        match plan {
            Some(plan) => println!("{}", will(&plan)),
            None => println!("message {id} offers no way to unsubscribe"),
        }
        return Ok(());
    }
    let done = engine.unsubscribe(id).await?;
    if json {
        print_json(&done);
    } else {
        println!("{}", did(&done));
    }
    Ok(())
}

fn will(plan: &UnsubscribePlan) -> String {
    match plan.kind {
        UnsubscribeKind::OneClick => {
            format!("one click: a request to {} ({})", plan.host, plan.target)
        }
        UnsubscribeKind::Mail => format!("a message to {}, through the outbox", plan.host),
        UnsubscribeKind::Page => format!("the list's page, to open: {}", plan.target),
    }
}

fn did(done: &Unsubscribed) -> String {
    let plan = &done.plan;
    match plan.kind {
        UnsubscribeKind::OneClick => format!(
            "unsubscribed: {} took the request (HTTP {})",
            plan.host,
            done.status.unwrap_or_default()
        ),
        UnsubscribeKind::Mail => format!(
            "the request to {} is in the outbox (id {}): `courriel outbox` shows when it is sent",
            plan.host,
            done.outbox_id.unwrap_or_default()
        ),
        UnsubscribeKind::Page => format!("open this page to finish: {}", plan.target),
    }
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error[bug]: {e}"),
    }
}
