// The message list (issue 17, "Reading and sorting"), in the real app against the real
// Dovecot: unread rows in bold, a one-line preview that never renders markup, the
// attachment mark, the star that flags a message on the server (doveadm sees \Flagged),
// and a conversation of three messages as one row saying 3, three rows again with
// grouping turned off in Settings.
//
// Started by tests/e2e/run after app.e2e.mjs (alice signed in). Mail is put straight
// into alice's INBOX with doveadm, as another client would; every subject carries this
// run's token, so the rows are this file's own.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "../session.mjs";
import { doveadm, env, rowOf, saveRaw, SHOTS, sleep, SRV, testid, waiter } from "./kit.mjs";

const token = `list${Date.now().toString(36)}`;

/** A message saved into alice's INBOX; `headers` and `body` as on the wire. */
function save({ subject, id, refs = [], minutesAgo, body = "Hello.", headers = [] }) {
  const raw = [
    `From: Zoe Sender <zoe@example.test>`,
    `To: ${SRV.ALICE}`,
    `Subject: ${subject}`,
    `Date: ${new Date(Date.now() - minutesAgo * 60_000).toUTCString()}`,
    `Message-ID: <${id}.${token}@example.test>`,
    ...(refs.length ? [`In-Reply-To: <${refs.at(-1)}.${token}@example.test>`] : []),
    ...(refs.length ? [`References: ${refs.map((r) => `<${r}.${token}@example.test>`).join(" ")}`] : []),
    "MIME-Version: 1.0",
    ...headers,
    "",
    body,
  ].join("\r\n");
  saveRaw(raw);
}

const PREVIEW_BODY = "First line of the preview\r\n<b>not bold</b> second line";
const ATTACHED = [
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  PREVIEW_BODY,
  "--b1",
  "Content-Type: application/pdf; name=plan.pdf",
  "Content-Disposition: attachment; filename=plan.pdf",
  "Content-Transfer-Encoding: base64",
  "",
  "JVBERi0xLjQK",
  "--b1--",
  "",
].join("\r\n");

test("the message list: bold unread, preview, star, conversations", { timeout: 300_000 }, async (t) => {
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const until = waiter(browser, "list", async () => {
    const seen = await rows().catch(() => []);
    return `; rows: ${JSON.stringify(seen)}`;
  });
  /** The rows of this run on screen: subject, count, preview, weight, star, clip. */
  const rows = () =>
    browser.execute((word) => {
      return Array.from(document.querySelectorAll('[data-testid="message-row"]'))
        .filter((row) => row.textContent.includes(word))
        .map((row) => {
          const subject = row.querySelector('[data-testid="message-subject"]');
          const preview = row.querySelector('[data-testid="message-preview"]');
          return {
            subject: subject.textContent.trim(),
            // The number shown (the badge also holds its words for screen readers).
            count: row.querySelector('[data-testid="message-count"] [aria-hidden="true"]')?.textContent.trim() ?? "",
            preview: preview.textContent,
            previewElements: preview.children.length,
            // Taller than two lines of its font would be a second line.
            previewOneLine:
              preview.parentElement.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(preview).fontSize),
            selected: row.getAttribute("aria-selected") === "true",
            weight: Number(getComputedStyle(subject).fontWeight),
            starred: row.querySelector('[data-testid="message-star"]').getAttribute("aria-pressed") === "true",
            clip: row.querySelector('[data-testid="message-attachment"]') !== null,
          };
        });
    }, token);
  const mine = async (subject) => (await rows()).find((r) => r.subject === subject);

  await until("the app", async () => (await $(testid("nav-inbox")).isExisting()), 30_000);
  // A draft left by an earlier test reopens in compose at start, over everything: closed
  // (it stays a draft) whenever it shows in the first seconds.
  for (const end = Date.now() + 5000; Date.now() < end; await sleep(250)) {
    if (await $(testid("compose")).isExisting()) await browser.keys(["Escape"]);
  }
  await until("compose closed", async () => !(await $(testid("compose")).isExisting()), 10_000);

  // A conversation of three (root, reply, reply to the reply), a message with an
  // attachment and a two-line body, and one already read.
  save({ subject: `Lunch ${token}`, id: "a", minutesAgo: 30 });
  save({ subject: `Re: Lunch ${token}`, id: "b", refs: ["a"], minutesAgo: 20 });
  save({ subject: `Re: Lunch ${token}`, id: "c", refs: ["a", "b"], minutesAgo: 10, body: "See you at noon." });
  save({
    subject: `Plan ${token}`,
    id: "p",
    minutesAgo: 5,
    headers: ['Content-Type: multipart/mixed; boundary="b1"'],
    body: ATTACHED,
  });
  save({ subject: `Read ${token}`, id: "r", minutesAgo: 40 });
  doveadm("flags", "add", "-u", SRV.ALICE, "\\Seen", "mailbox", "INBOX", "header", "Subject", `Read ${token}`);

  await $(testid("nav-inbox")).click();
  await until("this run's mail listed", async () => {
    if ((await rows()).length >= 3) return true;
    const sync = await $(testid("sync"));
    if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
    return false;
  }, 90_000);
  await until("the preview and the whole conversation", async () => {
    const plan = await mine(`Plan ${token}`);
    const lunch = await mine(`Re: Lunch ${token}`);
    return plan?.preview.includes("second line") && lunch?.count === "3";
  });
  await browser.saveScreenshot(join(SHOTS, "list.png")).catch(() => {});

  // Grouped (the default): the conversation is one row, its newest message, saying 3.
  const listed = await rows();
  assert.deepEqual(
    listed.map((r) => r.subject).sort(),
    [`Plan ${token}`, `Re: Lunch ${token}`, `Read ${token}`],
    "three messages of one conversation make one row",
  );
  const lunch = await mine(`Re: Lunch ${token}`);
  assert.equal(lunch.count, "3");
  assert.equal(lunch.preview, "See you at noon.", "the newest message stands for it");

  // Unread in bold, read not.
  const plan = await mine(`Plan ${token}`);
  const read = await mine(`Read ${token}`);
  assert.ok(plan.weight >= 600, `an unread subject is bold (${plan.weight})`);
  assert.ok(read.weight < 600, `a read subject is not (${read.weight})`);

  // One line of preview, the markup in it shown as text; the attachment mark.
  assert.equal(plan.preview, "First line of the preview <b>not bold</b> second line");
  assert.equal(plan.previewElements, 0, "nothing in the preview is rendered as markup");
  assert.ok(plan.previewOneLine, "the preview is one line");
  assert.ok(plan.clip, "the attachment mark");
  assert.ok(!read.clip);

  // The star flags the message, and the server has it (another client sees \Flagged).
  assert.equal(plan.starred, false);
  await $(`${rowOf(`Plan ${token}`)}//*[@data-testid="message-star"]`).click();
  await until("the star on", async () => (await mine(`Plan ${token}`))?.starred);
  const flags = () => doveadm("fetch", "-u", SRV.ALICE, "flags", "mailbox", "INBOX", "header", "Subject", `Plan ${token}`);
  await until("\\Flagged on the server", async () => flags().includes("\\Flagged"));
  assert.equal((await mine(`Plan ${token}`)).selected, false, "the star's click does not open the message");

  // Grouping off in Settings: the conversation's three messages are three rows.
  const grouping = async (on) => {
    await $(testid("nav-settings")).click();
    const box = await $(testid("group-conversations"));
    await box.waitForDisplayed({ timeout: 10_000 });
    if ((await box.isSelected()) !== on) await box.click();
    await until(`grouping ${on ? "on" : "off"} kept`, async () => (await box.isSelected()) === on);
    await $(testid("nav-inbox")).click();
  };
  try {
    await grouping(false);
    await until("three rows of the conversation", async () => {
      const lunches = (await rows()).filter((r) => r.subject.endsWith(`Lunch ${token}`));
      return lunches.length === 3 && lunches.every((r) => r.count === "");
    });
  } finally {
    await grouping(true); // as the features after this one expect
  }
  await until("one row again", async () => (await rows()).filter((r) => r.subject.endsWith(`Lunch ${token}`)).length === 1);

  // Archived from its row, the conversation goes whole: the server has all three in Archive.
  const lunches = (mailbox) =>
    doveadm("search", "-u", SRV.ALICE, "mailbox", mailbox, "subject", `Lunch ${token}`).split("\n").filter((l) => l.trim()).length;
  await $(rowOf(`Re: Lunch ${token}`)).click();
  await until("the conversation open", async () => (await $(testid("reader-subject")).isExisting()));
  await browser.keys(["e"]);
  await until("the three in Archive on the server", async () => lunches("Archive") === 3);
  assert.equal(lunches("INBOX"), 0, "none of the conversation left in the INBOX");
});
