//! `courriel settings`: the settings the desktop app shows (background mode, new-mail
//! notifications, the undo window), read and changed from scripts. Names are the
//! settings' own in kebab case (`undo-send-seconds`); values are JSON (`true`, `12`).

use clap::Subcommand;
use courriel_engine::api::Settings;
use courriel_engine::{Engine, Error, ErrorKind};
use serde_json::Value;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Change one setting: `courriel settings set undo-send-seconds 10`
    Set { name: String, value: String },
}

/// `courriel settings [--json]` and `courriel settings set NAME VALUE`.
pub async fn run(
    engine: &Engine,
    command: Option<SettingsCommand>,
    json: bool,
) -> Result<(), Error> {
    let settings = match command {
        None => engine.settings().await?,
        Some(SettingsCommand::Set { name, value }) => {
            let changed = with(engine.settings().await?, &name, &value)?;
            engine.set_settings(changed).await?
        }
    };
    print(&settings, json);
    Ok(())
}

/// `settings` with `name` set to `value`, or why not in plain words.
fn with(settings: Settings, name: &str, value: &str) -> Result<Settings, Error> {
    let Ok(Value::Object(mut object)) = serde_json::to_value(settings) else {
        return Err(Error::new(ErrorKind::Bug, "the settings are not an object"));
    };
    let key = camel(name);
    if !object.contains_key(&key) {
        let known: Vec<String> = object.keys().map(|k| kebab(k)).collect();
        let message = format!(
            "\"{name}\" is not a setting; the settings are: {}",
            known.join(", ")
        );
        return Err(Error::new(ErrorKind::Config, message));
    }
    let parsed = serde_json::from_str(value).unwrap_or(Value::String(value.to_owned()));
    object.insert(key, parsed);
    serde_json::from_value(Value::Object(object)).map_err(|_| {
        let message = format!("\"{value}\" is not a value {name} can take");
        Error::new(ErrorKind::Config, message)
    })
}

fn print(settings: &Settings, json: bool) {
    let Ok(Value::Object(object)) = serde_json::to_value(settings) else {
        return;
    };
    if json {
        println!("{}", Value::Object(object));
        return;
    }
    for (name, value) in object {
        println!("{} = {value}", kebab(&name));
    }
}

fn camel(kebab: &str) -> String {
    let mut parts = kebab.split('-');
    let first = parts.next().unwrap_or_default().to_owned();
    parts.fold(first, |mut name, part| {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            name.extend(c.to_uppercase());
            name.push_str(chars.as_str());
        }
        name
    })
}

fn kebab(camel: &str) -> String {
    camel.chars().fold(String::new(), |mut name, c| {
        if c.is_ascii_uppercase() {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
        name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_as_typed() {
        assert_eq!(camel("undo-send-seconds"), "undoSendSeconds");
        assert_eq!(kebab("runInBackground"), "run-in-background");
        let changed = with(Settings::default(), "undo-send-seconds", "12").expect("set");
        assert_eq!(changed.undo_send_seconds, 12);
        let changed = with(changed, "notify-new-mail", "false").expect("set");
        assert!(!changed.notify_new_mail);
    }

    #[test]
    fn a_wrong_name_or_value_says_so_plainly() {
        let e = with(Settings::default(), "dark-mode", "true").expect_err("no such setting");
        assert!(
            e.to_string().contains("\"dark-mode\" is not a setting"),
            "{e}"
        );
        assert!(e.to_string().contains("undo-send-seconds"), "{e}");
        let e = with(Settings::default(), "undo-send-seconds", "soon").expect_err("not a number");
        assert!(e.to_string().contains("\"soon\" is not a value"), "{e}");
    }
}
