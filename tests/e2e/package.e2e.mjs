// The installed app (/usr/bin/courriel-app from the Debian package), driven through
// tauri-driver + WebKitWebDriver: mailto: links reach it the ways a desktop hands them
// over, and compose opens pre-filled; background mode is kept and starts the app in the
// tray. Started by tests/package/drive, which sets:
//   APP             the installed binary
//   WEBDRIVER_PORT  tauri-driver's port
//   SCREENSHOT_DIR  where the PNGs go
//   CONFIG_DIR      the app's configuration directory (an older version's settings files)
//   DATA_DIR        the app's data directory (its settings, read with COURRIEL_CLI)
//   COURRIEL_CLI    the CLI built from this tree
//   CLOSE_WINDOW    tests/package/close-window: what a window manager sends for the ✕

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "./session.mjs";

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set (tests/package/drive sets it)`);
  return value;
}
const APP = env("APP");
const SHOTS = env("SCREENSHOT_DIR");
const CONFIG_DIR = env("CONFIG_DIR");
const DATA_DIR = env("DATA_DIR");
const CLI = env("COURRIEL_CLI");

/** The settings the running app keeps, read from its database by the CLI. */
function saved() {
  const run = spawnSync(CLI, ["--data-dir", DATA_DIR, "settings", "--json"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, `courriel settings: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
const CLOSE_WINDOW = env("CLOSE_WINDOW");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The first launch's command line: percent-encoded UTF-8, a CRLF in the body.
const FIRST =
  "mailto:bob@example.test?cc=carol@example.test&subject=R%C3%A9union%20%C3%A0%20Z%C3%BCrich%20%E2%80%94%20%E2%98%95" +
  "&body=Bonjour%20Bob%2C%0D%0A%C3%80%20demain.";
// Through xdg-open: two recipients in the path and one more in to=, cc, bcc, a body over
// several lines, and fields a link must not set (from, attach).
const CLICKED =
  "mailto:bob@example.test,dave@example.test?to=erin@example.test&cc=carol@example.test&bcc=archive@example.test" +
  "&subject=Caf%C3%A9%20cr%C3%A8me%20%26%20cr%C3%AApes%20%F0%9F%A5%9E&body=Ligne%201%0D%0ALigne%202%20%E2%80%94%20%C3%A9t%C3%A9" +
  "&from=ceo@example.test&attach=/etc/passwd";
// Given to the binary a second time while compose is busy: waits for it.
const QUEUED = "mailto:zoe@example.test?subject=Apr%C3%A8s";

/** Runs `command` the way a desktop does and returns once it has exited. */
function launch(command, args) {
  // A bound on a failure only: a second instance that did not hand over would never exit.
  const run = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.error, undefined, `${command} ${args.join(" ")}: ${run.error?.message}`);
  assert.equal(run.status, 0, `${command} ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
}

/** The installed app's processes (not the end-to-end test's build). */
function running() {
  const ps = spawnSync("pgrep", ["-f", "^(/usr/bin/)?courriel-app( |$)"], { encoding: "utf8" });
  return ps.stdout.split("\n").filter(Boolean).length;
}

const session = (args) => appSession(APP, { args, port: Number(env("WEBDRIVER_PORT")) });

test("the installed app: mailto: links and background mode", { timeout: 300_000 }, async (t) => {
  let browser = await session([FIRST]);
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const testid = (id) => `[data-testid="${id}"]`;
  async function shot(name) {
    await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
    await browser.saveScreenshot(join(SHOTS, `${name}.png`));
  }
  async function until(what, check, timeout = 30_000) {
    try {
      await browser.waitUntil(check, { timeout, interval: 200 });
    } catch (error) {
      await browser.saveScreenshot(join(SHOTS, `package-failure-${what.replace(/\W+/g, "-")}.png`)).catch(() => {});
      const text = await browser.execute(() => document.body.innerText.slice(0, 2000)).catch(() => "");
      assert.fail(`timed out waiting for ${what}: ${error.message}\n--- the window shows:\n${text}`);
    }
  }
  /** What compose shows, field by field. */
  const compose = () =>
    browser.execute(() => {
      const dialog = document.querySelector('[data-testid="compose"]');
      if (!dialog) return null;
      const value = (sel) => dialog.querySelector(sel)?.value ?? null;
      return {
        from: dialog.querySelector('[data-testid="compose-from"]')?.selectedOptions[0]?.textContent?.trim(),
        // Recipients are chips: each field says them all, typed text included (data-value).
        to: dialog.querySelector('[data-testid="recipients-to"]')?.dataset.value ?? null,
        cc: dialog.querySelector('[data-testid="recipients-cc"]')?.dataset.value ?? null,
        bcc: dialog.querySelector('[data-testid="recipients-bcc"]')?.dataset.value ?? null,
        subject: value('[data-testid="compose-subject"]'),
        body: value('[data-testid="compose-body"]'),
        attachments: dialog.querySelectorAll(".files li").length,
      };
    });
  async function composeShows(what, subject) {
    await until(what, async () => (await compose())?.subject === subject);
    return compose();
  }
  /** Discards the open message; `next`: the subject of the one that takes its place. */
  async function discard(next = null) {
    await (await $(`${testid("compose")} footer button.plain`)).click();
    if (next === null) await until("compose to close", async () => !(await $(testid("compose")).isExisting()), 10_000);
    else await composeShows(`compose to show ${next}`, next);
  }

  // 1. The first launch's mailto: link, from its command line.
  const first = await composeShows("compose from the first launch's link", "Réunion à Zürich — ☕");
  assert.equal(first.to, "bob@example.test");
  assert.equal(first.cc, "carol@example.test");
  assert.equal(first.bcc, "");
  assert.equal(first.body, "Bonjour Bob,\nÀ demain.");
  assert.match(first.from, /alice@example\.test/);
  assert.equal(running(), 1);
  await shot("package-first-launch");

  // 2. The binary again, with a link, while that message is open: the second process hands
  // the link over and exits; the open message stays, the link waits (and says so).
  launch(APP, [QUEUED]);
  assert.equal(running(), 1, "a second instance kept running");
  await until("the waiting link's notice", async () => {
    const toast = await $(testid("toast"));
    return (await toast.isExisting()) && (await toast.getText()).includes("mailto:");
  });
  assert.equal((await compose()).subject, "Réunion à Zürich — ☕", "the open message was replaced");
  // Closing it opens the waiting link's message.
  await discard("Après");
  const queued = await compose();
  assert.equal(queued.to, "zoe@example.test");
  await discard();

  // 3. A link clicked in another application: xdg-open finds Courriel.desktop as the mailto:
  // handler and runs its Exec line (`courriel-app %u`), a second instance that hands over.
  launch("xdg-open", [CLICKED]);
  assert.equal(running(), 1, "xdg-open left a second instance running");
  const clicked = await composeShows("compose from xdg-open", "Café crème & crêpes 🥞");
  assert.equal(clicked.to, "bob@example.test, dave@example.test, erin@example.test");
  assert.equal(clicked.cc, "carol@example.test");
  assert.equal(clicked.bcc, "archive@example.test");
  assert.equal(clicked.body, "Ligne 1\nLigne 2 — été");
  assert.match(clicked.from, /alice@example\.test/, "the link chose the sender");
  assert.equal(clicked.attachments, 0, "the link attached a file");
  await shot("package-mailto");
  await discard();

  // 4. Background mode, one of the settings in the database: closing the window (the
  // window manager's WM_DELETE_WINDOW) hides it and Courriel keeps running; launching it
  // again shows it.
  await (await $(testid("nav-settings"))).click();
  // The older version's notifications.json (tests/package/drive) was adopted and retired.
  assert.equal(saved().notifyNewMail, false, "the older settings file was not adopted");
  assert.equal(await (await $(testid("notify-new-mail"))).isSelected(), false);
  assert.ok(existsSync(join(CONFIG_DIR, "notifications.json.imported")), "the older file was not retired");
  assert.ok(!existsSync(join(CONFIG_DIR, "notifications.json")), "the older file is still read");
  await (await $(testid("background-mode"))).click();
  await until("background mode to be saved", async () => saved().runInBackground === true);
  const visibility = () => browser.execute(() => document.visibilityState);
  launch(CLOSE_WINDOW, ["Courriel"]);
  await until("the closed window to be hidden", async () => (await visibility()) === "hidden");
  assert.equal(running(), 1, "closing the window in background mode ended Courriel");
  launch(APP, []);
  await until("the window to come back on a second launch", async () => (await visibility()) === "visible");

  // "Start in the tray": the next start opens no window until Courriel is launched again.
  await (await $(testid("start-in-tray"))).click();
  await until("start in tray to be saved", async () => saved().startInTray === true);
  await shot("package-settings");
  assert.equal(await browser.execute(() => document.visibilityState), "visible");

  await browser.deleteSession();
  browser = await session([]);
  await until("the app to start", () => browser.execute(() => document.readyState === "complete"));
  await until("the window to stay hidden", async () => (await visibility()) === "hidden");
  launch(APP, []);
  await until("the window to show on a second launch", async () => (await visibility()) === "visible");
  assert.equal(running(), 1);
  await (await $(testid("nav-settings"))).click();
  assert.equal(await (await $(testid("background-mode"))).isSelected(), true);
  assert.equal(await (await $(testid("start-in-tray"))).isSelected(), true);

  // 5. Background mode off (the default): closing the window quits, and the message being
  // written at that moment is saved first, however recent the typing (the window closes
  // right after the last keystroke; autosave runs every 3 s).
  await (await $(testid("background-mode"))).click();
  await until("background mode off to be saved", async () => saved().runInBackground === false && saved().startInTray === false);
  const unsaved = `Closed mid-sentence ${Date.now()}`;
  await (await $(testid("nav-inbox"))).click();
  await (await $(testid("compose-button"))).click();
  await (await $(testid("compose-subject"))).setValue(unsaved);
  launch(CLOSE_WINDOW, ["Courriel"]);
  for (let i = 0; running() > 0; i++) {
    assert.ok(i < 300, "Courriel still runs after its window was closed with background mode off");
    await sleep(100);
  }
  await browser.deleteSession().catch(() => {});
  browser = await session([]);
  await composeShows("the message written at the close, reopened", unsaved);
  await discard();
});
