// Unsubscribe (issue 17) in the real app: for list mail the reader says which way it
// will go and to whom before anything happens, then one click does it:
// - one-click (RFC 8058): a local HTTPS server (the test servers' own certificate, on
//   the account's host, which the app trusts through the account's CA file) receives
//   the POST with exactly `List-Unsubscribe=One-Click`;
// - mail: the request goes out through the outbox and bob's mailbox gets it (doveadm);
// - the page: handed to the system opener (the stand-in xdg-open records it).
//
// Started by tests/e2e/run after app.e2e.mjs (alice signed in). Mail is put straight into
// alice's INBOX with doveadm; every subject carries this run's token.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "../session.mjs";
import { doveadm, env, rowOf, saveRaw, SHOTS, sleep, SRV, testid, waiter } from "./kit.mjs";

const token = `unsub${Date.now().toString(36)}`;
const opened = () => (existsSync(env("OPENED_LOG")) ? readFileSync(env("OPENED_LOG"), "utf8") : "");

/** A list message saved into alice's INBOX with these extra headers. */
function save(subject, headers) {
  const raw = [
    `From: Weekly News <news@lists.example.test>`,
    `To: ${SRV.ALICE}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${subject.replace(/\W+/g, ".")}@lists.example.test>`,
    "List-Id: <weekly.lists.example.test>",
    ...headers,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "This week's news.",
  ].join("\r\n");
  saveRaw(raw);
}

/** The list's HTTPS server: the test servers' certificate (valid for their host). */
async function listServer() {
  const received = [];
  const server = createServer({
    key: readFileSync(join(SRV.STATE_DIR, "ca", "server.key")),
    cert: readFileSync(join(SRV.STATE_DIR, "ca", "server.pem")),
  });
  server.on("request", (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { "Content-Length": 0 });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, SRV.HOST, resolve));
  return { server, port: server.address().port, received };
}

test("unsubscribe: the reader says how, then one click does it", { timeout: 300_000 }, async (t) => {
  const list = await listServer();
  t.after(() => list.server.close());
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const until = waiter(browser, "unsubscribe");
  async function open(subject) {
    await until(`${subject} listed`, async () => {
      if (await $(rowOf(subject)).isExisting()) return true;
      const sync = await $(testid("sync"));
      if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
      return false;
    }, 90_000);
    await $(rowOf(subject)).click();
    await until(`${subject} in the reader`, async () => (await $(testid("reader-subject")).getText()) === subject);
    await $(testid("unsubscribe-plan")).waitForDisplayed({ timeout: 20_000 });
    return $(testid("unsubscribe-plan")).getText();
  }
  async function click() {
    await $(testid("unsubscribe-button")).click();
    await $(testid("unsubscribe-done")).waitForDisplayed({ timeout: 30_000 });
    return $(testid("unsubscribe-done")).getText();
  }

  await until("the app", async () => (await $(testid("nav-inbox")).isExisting()), 30_000);
  // A draft left by an earlier test reopens in compose at start, over everything: closed
  // (it stays a draft) whenever it shows in the first seconds.
  for (const end = Date.now() + 5000; Date.now() < end; await sleep(250)) {
    if (await $(testid("compose")).isExisting()) await browser.keys(["Escape"]);
  }
  await until("compose closed", async () => !(await $(testid("compose")).isExisting()), 10_000);
  const oneClick = `One click ${token}`;
  const byMail = `By mail ${token}`;
  const page = `Page ${token}`;
  save(oneClick, [
    `List-Unsubscribe: <mailto:leave@lists.example.test>,`,
    ` <https://${SRV.HOST}:${list.port}/u/${token}?list=weekly>`,
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
  ]);
  save(byMail, [`List-Unsubscribe: <mailto:${SRV.BOB}?subject=leave%20${token}>`]);
  save(page, [`List-Unsubscribe: <https://lists.example.test/manage/${token}>`]);
  await $(testid("nav-inbox")).click();

  // 1. One click: the reader names the host first; nothing is sent before the click.
  const said = await open(oneClick);
  assert.match(said, /^One click tells 127\.0\.0\.1 to stop sending this list/, said);
  assert.equal(await $(testid("unsubscribe")).getAttribute("data-kind"), "oneClick");
  assert.equal(list.received.length, 0, "posted before the click");
  await browser.saveScreenshot(join(SHOTS, "unsubscribe-plan.png")).catch(() => {});
  assert.match(await click(), /took the request/);
  assert.equal(list.received.length, 1);
  const [post] = list.received;
  assert.equal(post.method, "POST");
  assert.equal(post.url, `/u/${token}?list=weekly`);
  assert.equal(post.body, "List-Unsubscribe=One-Click");
  assert.equal(post.headers["content-type"], "application/x-www-form-urlencoded");
  assert.equal(post.headers.cookie, undefined);

  // 2. By mail: to bob through the outbox; bob's INBOX gets it.
  assert.match(await open(byMail), new RegExp(`Sends ${SRV.BOB.replaceAll(".", "\\.")} a message`));
  assert.match(await click(), /is in the Outbox/);
  await until("the request in bob's INBOX", async () =>
    doveadm("search", "-u", SRV.BOB, "mailbox", "INBOX", "subject", `leave ${token}`).trim() !== "",
  );

  // 3. The page: opened in the browser (the stand-in opener), nothing posted.
  assert.match(await open(page), /Opens the list's page on lists\.example\.test/);
  assert.match(await click(), /open in your browser/);
  await until("the page handed to the opener", async () => opened().includes(`https://lists.example.test/manage/${token}`), 10_000);
  assert.equal(list.received.length, 1, "the page was fetched or posted to");
});
