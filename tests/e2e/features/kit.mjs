// What every feature's end-to-end file needs (tests/e2e/run section 4a starts them after
// app.e2e.mjs signed alice in): the environment the runner gives, the test servers' own
// (SERVERS_ENV: addresses, passwords, ports, Dovecot's state), mail put straight into
// alice's mailboxes as another client would, and waiting on the app with a screenshot and
// the reason when it never comes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A variable tests/e2e/run sets; a clear failure when it does not. */
export function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set (tests/e2e/run sets it)`);
  return value;
}

/** The servers' env file as an object (ALICE, ALICE_PASSWORD, STATE_DIR...). */
export const SRV = Object.fromEntries(
  readFileSync(env("SERVERS_ENV"), "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
export const SHOTS = env("SCREENSHOT_DIR");
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const doveconf = join(SRV.STATE_DIR, "dovecot", "dovecot.conf");

/** doveadm on the test Dovecot; its output. */
export const doveadm = (...args) => execFileSync("doveadm", ["-c", doveconf, ...args], { encoding: "utf8" });

/** A raw message (CRLF lines) saved into alice's `mailbox`, as another client would. */
export function saveRaw(raw, mailbox = "INBOX") {
  execFileSync("doveadm", ["-c", doveconf, "save", "-u", SRV.ALICE, "-m", mailbox], { input: raw });
}

export const testid = (id) => `[data-testid="${id}"]`;

/** The list row whose subject is `subject`, as XPath. */
export const rowOf = (subject) =>
  `//*[@data-testid="message-row"][.//*[@data-testid="message-subject"][normalize-space()="${subject}"]]`;

/**
 * `until(what, check, timeout)` for this browser: waits for `check` to hold, else saves
 * failure-<name>-<what>.png and fails saying what never came, with `explain()`'s words.
 */
export function waiter(browser, name, explain = async () => "") {
  return async function until(what, check, timeout = 60_000) {
    try {
      await browser.waitUntil(check, { timeout, interval: 250 });
    } catch (error) {
      const file = join(SHOTS, `failure-${name}-${what.replace(/\W+/g, "-")}.png`);
      await browser.saveScreenshot(file).catch(() => {});
      const more = await explain().catch(() => "");
      assert.fail(`timed out waiting for ${what}: ${error.message}${more}`);
    }
  };
}
