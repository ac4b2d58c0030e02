// Address completion (issue 17, "Writing"), in the real app against the real Postfix and
// Dovecot: two senders learned from mail synced into alice's INBOX are suggested while
// typing part of their name without its accents; the arrows move the highlight and
// Enter picks it, Tab picks the first; a chip appears for each; Escape closes only the
// suggestions; a typed invalid address turns into a red chip at once and stops Send;
// Ctrl+Enter sends and bob receives the message; the CLI then counts the contact as
// written to.
//
// Started by tests/e2e/run after app.e2e.mjs (alice signed in). The senders' addresses
// are bob's with a +detail (Dovecot delivers them to bob) and carry this run's token.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "../session.mjs";
import { doveadm, env, saveRaw, SHOTS, SRV, testid, waiter } from "./kit.mjs";

const token = `ct${Date.now().toString(36)}`;
const [bobUser, bobDomain] = SRV.BOB.split("@");
const ELODIE = `${bobUser}+elodie${token}@${bobDomain}`.toLowerCase();
const ERIC = `${bobUser}+eric${token}@${bobDomain}`.toLowerCase();

/** A message from `from` saved into alice's INBOX, as a delivery would. */
function receive(from, subject) {
  const raw = [
    `From: ${from}`,
    `To: ${SRV.ALICE}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${subject.replace(/\W+/g, ".")}@example.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello.",
  ].join("\r\n");
  saveRaw(raw);
}

test("address completion: accents aside, arrows and Enter, chips, invalid, send", { timeout: 300_000 }, async (t) => {
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const until = waiter(browser, "contacts", async () => {
    const text = await browser.execute(() => document.body.innerText.slice(0, 1500)).catch(() => "");
    return `\n--- the window shows:\n${text}`;
  });
  /** The To field as shown: its chips, the suggestions and which is highlighted. */
  const field = () =>
    browser.execute(() => {
      const root = document.querySelector('[data-testid="recipients-to"]');
      if (!root) return null;
      return {
        chips: Array.from(root.querySelectorAll('[data-testid="chip"]')).map((c) => ({
          address: c.dataset.address,
          valid: c.dataset.valid === "true",
          text: c.textContent.replace("✕", "").trim(),
          red: c.classList.contains("invalid"),
        })),
        suggestions: Array.from(root.querySelectorAll('[data-testid="suggestion"]')).map((s) => s.dataset.address),
        highlighted: root.querySelector('[data-testid="suggestion"][aria-selected="true"]')?.dataset.address ?? null,
        invalidNote: root.querySelector('[data-testid="invalid-recipients"]')?.textContent ?? null,
        typed: root.querySelector("input").value,
      };
    });
  const mine = (list) => list.filter((a) => a.includes(token));

  await until("the app", async () => (await $(testid("nav-inbox")).isExisting()), 30_000);
  // A draft an earlier test left open comes back at start: Escape closes it (kept).
  await until("no dialog open", async () => {
    if (!(await $('[role="dialog"]').isExisting())) return true;
    await browser.keys(["Escape"]);
    return false;
  }, 20_000);
  // Élodie wrote once, Éric twice: Éric ranks first.
  receive(`"Élodie Ångström" <${ELODIE}>`, `Contacts ${token} from Élodie`);
  receive(`"Éric Ångström" <${ERIC}>`, `Contacts ${token} from Éric 1`);
  receive(`"Éric Ångström" <${ERIC}>`, `Contacts ${token} from Éric 2`);
  await $(testid("nav-inbox")).click();
  const listed = () =>
    browser.execute((word) => document.body.innerText.split(word).length - 1, token);
  await until("this run's mail synced", async () => {
    if ((await listed()) >= 2) return true;
    const sync = await $(testid("sync"));
    if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
    return false;
  }, 90_000);

  await $(testid("compose-button")).click();
  await $(testid("compose")).waitForDisplayed({ timeout: 10_000 });
  const to = await $(testid("compose-to"));
  await to.click();

  // Part of the surname, without its accents: both, the more frequent first.
  await browser.keys([..."angstr"]);
  await until("both suggested", async () => mine((await field()).suggestions).length === 2, 15_000);
  assert.deepEqual(mine((await field()).suggestions), [ERIC, ELODIE]);
  await browser.saveScreenshot(join(SHOTS, "contacts-suggestions.png")).catch(() => {});
  // Escape closes the suggestions, not the message.
  await browser.keys(["Escape"]);
  await until("the suggestions closed", async () => (await field()).suggestions.length === 0, 5000);
  assert.ok(await $(testid("compose")).isExisting(), "Escape in open suggestions keeps compose");
  // Typing again opens them; the arrows move the highlight, Enter picks it.
  await browser.keys([..."ö"]);
  await until("suggested again", async () => mine((await field()).suggestions).length === 2, 15_000);
  assert.equal((await field()).highlighted, ERIC);
  await browser.keys(["ArrowDown"]);
  await until("Élodie highlighted", async () => (await field()).highlighted === ELODIE, 5000);
  await browser.keys(["ArrowDown", "ArrowUp"]);
  await until("Élodie highlighted again", async () => (await field()).highlighted === ELODIE, 5000);
  await browser.keys(["Enter"]);
  await until("Élodie's chip", async () => (await field()).chips.length === 1, 5000);
  assert.deepEqual((await field()).chips[0], { address: ELODIE, valid: true, text: "Élodie Ångström", red: false });
  assert.equal((await field()).typed, "");

  // Case and accents the other way round; Tab takes the first suggestion.
  await browser.keys([..."ÉRIC ÅNG"]);
  await until("Éric alone suggested", async () => {
    const f = await field();
    return f.suggestions.length === 1 && f.suggestions[0] === ERIC;
  }, 15_000);
  await browser.keys(["Tab"]);
  await until("Éric's chip", async () => (await field()).chips.length === 2, 5000);
  assert.equal((await field()).chips[1].address, ERIC);

  // An invalid address is marked the moment it becomes a chip, and Send refuses it.
  await browser.keys([..."bob@example,"]);
  await until("the invalid chip", async () => (await field()).chips.length === 3, 5000);
  const bad = (await field()).chips[2];
  assert.deepEqual([bad.valid, bad.red], [false, true]);
  assert.match((await field()).invalidNote ?? "", /bob@example/);
  await browser.saveScreenshot(join(SHOTS, "contacts-chips.png")).catch(() => {});
  const subject = `Completed ${token}`;
  await (await $(testid("compose-subject"))).setValue(subject);
  await (await $(testid("compose-body"))).setValue("Picked from the suggestions.");
  await $(testid("compose-send")).click();
  await until("Send refused", async () => (await browser.execute(() => document.querySelector('[data-testid="compose"] p.error[role="alert"]')?.textContent ?? "")).includes("red"), 5000);
  assert.ok(await $(testid("compose")).isExisting(), "nothing sent with an invalid address");
  await (await $('[data-testid="recipients-to"] [data-testid="chip"][data-valid="false"] button.remove')).click();
  await until("the invalid chip removed", async () => (await field()).chips.length === 2, 5000);

  // Ctrl+Enter sends, from the body.
  await (await $(testid("compose-body"))).click();
  await browser.keys(["Control", "Enter"]);
  await until("compose closed by Ctrl+Enter", async () => !(await $(testid("compose")).isExisting()), 10_000);
  const inBob = () =>
    doveadm("search", "-u", SRV.BOB, "mailbox", "INBOX", "header", "Subject", subject).trim();
  // Both chips are bob's addresses (+detail): Dovecot files them in bob's INBOX.
  await until("bob received it", async () => inBob() !== "", 90_000);

  // The engine counts them as written to now (the CLI reads the app's data).
  const cli = JSON.parse(execFileSync(env("COURRIEL_CLI"), ["contacts", "ångström", "--json"], { encoding: "utf8" }));
  const eric = cli.find((c) => c.address === ERIC);
  assert.ok(eric, JSON.stringify(cli));
  assert.deepEqual([eric.name, eric.sent, eric.received], ["Éric Ångström", 1, 2]);
});
