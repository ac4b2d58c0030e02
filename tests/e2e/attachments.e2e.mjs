// Attachments cannot hurt you, in the real app: run by tests/e2e/run after app.e2e.mjs, on
// the same data directory (alice is set up), with a message bob sent alice holding a text
// file, a Windows program, a Linux program named like a photo and a file whose name hides
// its extension behind a right-to-left override.
//
// The app runs with a shared temporary directory (TMPDIR, sticky and world-writable like
// /tmp) in which another user, `nobody`, planted `courriel/<n>` links into a directory of
// the victim's (Courriel used to copy opened attachments to $TMPDIR/courriel/<id>/ and
// follow them); its XDG_RUNTIME_DIR is private; a stand-in xdg-open records what the app
// hands to the system opener. Checked:
//   - Open copies into $XDG_RUNTIME_DIR/courriel/attachments (0700), the copy 0600, and
//     nothing lands where nobody's links point;
//   - Open of a program or of a program in disguise asks first, naming what it really is;
//     nothing is written or opened until "Open anyway"; Cancel opens nothing;
//   - the name with U+202E shows and saves as what it is (".exe"), Save stays one click;
//   - a copy left by an earlier run is removed when the app starts, the copies of this run
//     when it exits.
//
// Environment (tests/e2e/run): COURRIEL_APP_BINARY, ATTACH_SUBJECT, OPENED_LOG, RUNTIME_DIR,
// SHARED_TMP, VICTIM_DIR, DOWNLOADS, SCREENSHOT_DIR, WEBDRIVER_PORT.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { appSession } from "./session.mjs";

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set (tests/e2e/run sets it)`);
  return value;
}

const SHOTS = env("SCREENSHOT_DIR");
const SCRATCH = join(env("RUNTIME_DIR"), "courriel", "attachments");
const opened = () => (existsSync(env("OPENED_LOG")) ? readFileSync(env("OPENED_LOG"), "utf8").split("\n").filter(Boolean) : []);
const mode = (path) => (statSync(path).mode & 0o7777).toString(8);

test("attachments: a private copy, a question before anything that runs, honest names", { timeout: 300_000 }, async (t) => {
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const testid = (id) => `[data-testid="${id}"]`;
  async function until(what, check, timeout = 60_000) {
    try {
      await browser.waitUntil(check, { timeout, interval: 250 });
    } catch (error) {
      await browser.saveScreenshot(join(SHOTS, `failure-${what.replace(/\W+/g, "-")}.png`)).catch(() => {});
      const text = await browser.execute(() => document.body.innerText.slice(0, 2000)).catch(() => "");
      assert.fail(`timed out waiting for ${what}: ${error.message}\n--- the window shows:\n${text}`);
    }
  }
  /** The attachment whose line mentions `name`; its first button is Open. */
  const attachment = (name) => $(`//*[@data-testid="attachment"][contains(., "${name}")]`);
  const open = async (name) => (await (await attachment(name)).$("button")).click();
  /** Each subtest starts with no question open. */
  const calm = async () => {
    if (await $(testid("confirm-open")).isExisting()) await browser.keys(["Escape"]);
  };

  const subject = env("ATTACH_SUBJECT");
  const row = `//*[@data-testid="message-row"][.//*[@data-testid="message-subject"][normalize-space()="${subject}"]]`;
  await until("the message with attachments", async () => {
    // app.e2e.mjs ended with a draft open: it comes back in compose; Escape saves and closes.
    if (await $(testid("compose")).isExisting()) {
      await browser.keys(["Escape"]);
      return false;
    }
    if (await $(row).isExisting()) return true;
    const sync = await $(testid("sync"));
    if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
    return false;
  });
  await until("the message open", async () => {
    try {
      await $(row).click();
    } catch (error) {
      // Something over the list (a dialog coming up at start): shown in the screenshot.
      await browser.saveScreenshot(join(SHOTS, "attachments-click-intercepted.png")).catch(() => {});
      if (await $(testid("compose")).isExisting()) await browser.keys(["Escape"]);
      return false;
    }
    return (await browser.$$(testid("attachment"))).length === 4;
  });

  await t.test("a document opens in one click from the private directory, never through another user's links", async () => {
    await open("report.txt");
    await until("report.txt handed to the opener", () => opened().length === 1, 20_000);
    assert.deepEqual(readdirSync(env("VICTIM_DIR")), [], "an attachment went where nobody's link points");
    const [report] = opened();
    assert.equal(report, join(SCRATCH, "report.txt"));
    assert.equal(readFileSync(report, "utf8"), "Quarterly numbers.\n");
    assert.equal(mode(report), "600");
    assert.equal(mode(SCRATCH), "700");
    assert.equal(mode(join(env("RUNTIME_DIR"), "courriel")), "700");
    const planted = join(env("SHARED_TMP"), "courriel");
    assert.ok(readdirSync(planted).every((n) => lstatSync(join(planted, n)).isSymbolicLink()), "written beside the links");
  });

  await t.test("a copy left by an earlier run is gone once the app has started", () => {
    assert.ok(!existsSync(join(SCRATCH, "stale.pdf")));
  });

  await t.test("a program asks first, naming what it is; nothing is written until yes", async () => {
    await calm();
    const before = opened().length;
    await open("setup.exe");
    await until("the question before a program", () => $(testid("confirm-open")).isExisting(), 20_000);
    assert.equal(await $(testid("confirm-open-question")).getText(), "This is a Windows program (.exe). Open it anyway?");
    await browser.saveScreenshot(join(SHOTS, "attachment-runs.png"));
    assert.ok(!existsSync(join(SCRATCH, "setup.exe")), "written before the user said yes");
    await $(testid("confirm-open-cancel")).click();
    await until("the question gone", async () => !(await $(testid("confirm-open")).isExisting()), 10_000);
    assert.equal(opened().length, before, "Cancel opened it");
    await open("setup.exe");
    await until("the question again", () => $(testid("confirm-open")).isExisting(), 20_000);
    await $(testid("confirm-open-anyway")).click();
    await until("setup.exe handed to the opener", () => opened().length === before + 1, 20_000);
    assert.equal(opened().at(-1), join(SCRATCH, "setup.exe"));
    assert.equal(mode(opened().at(-1)), "600", "never executable");
  });

  await t.test("a Linux program named like a photo is called what it is", async () => {
    await calm();
    const before = opened().length;
    await open("holiday.jpg");
    await until("the question before a disguised program", () => $(testid("confirm-open")).isExisting(), 20_000);
    assert.equal(
      await $(testid("confirm-open-question")).getText(),
      "This is a Linux program, although its name ends in “.jpg”. Open it anyway?",
    );
    await browser.keys(["Escape"]);
    await until("the question closed", async () => !(await $(testid("confirm-open")).isExisting()), 10_000);
    assert.equal(opened().length, before);
  });

  await t.test("a name hiding its extension shows and saves as what it is, in one click", async () => {
    await calm();
    const names = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="attachment"]'), (li) => ({
        name: li.querySelector('[data-testid="attachment-name"]')?.textContent ?? li.textContent,
        ext: li.querySelector('[data-testid="attachment-ext"]')?.textContent,
      })),
    );
    assert.deepEqual(
      names.map((n) => `${n.name} ${n.ext}`).sort(),
      ["holiday.jpg JPG", "invoicefdp.exe EXE", "report.txt TXT", "setup.exe EXE"],
    );
    await (await (await attachment("fdp.exe")).$(testid("save-attachment"))).click();
    await until("the file saved", () => $(testid("saved-to")).isExisting(), 20_000);
    const saved = join(env("DOWNLOADS"), "invoicefdp.exe");
    assert.ok((await $(testid("saved-to")).getText()).includes(saved), await $(testid("saved-to")).getText());
    assert.equal(mode(saved), "600");
  });

  await t.test("the copies go when the app exits", async () => {
    assert.ok(readdirSync(SCRATCH).length > 0, "nothing was opened");
    // The window's close button, as a window manager sends it (the test display has none):
    // with background mode off, Courriel quits. (Ending the WebDriver session would kill
    // the process instead; then the next start cleans up, checked above.)
    execFileSync(fileURLToPath(new URL("../package/close-window", import.meta.url)), ["Courriel"]);
    const deadline = Date.now() + 15_000;
    while (readdirSync(SCRATCH).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(readdirSync(SCRATCH), [], "opened copies left after exit");
  });
});
