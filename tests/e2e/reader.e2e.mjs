// Hostile mail in the real app (WebKitGTK): a message whose link covers its body and
// points at `?remote=1`, with `<img src="/1">`, CSS url(/1) and links to data:, file: and
// the app's own scheme; and a draft whose HTML tries to restyle and navigate the window.
// A click anywhere leaves the frame on the message, the counting HTTP server (hits.mjs)
// is never contacted, the banner still says "blocked"; an https link reaches the system
// opener (a stand-in `xdg-open` first on the app's PATH records what it is handed), and
// one whose text names another domain asks first, showing the real address.
//
// Started by tests/e2e/run after app.e2e.mjs, on the same servers and data directory
// (alice is signed in there; alone, she signs in first). Environment:
//   COURRIEL_APP_BINARY, HITS_PORT, SERVERS_ENV, SCREENSHOT_DIR, WEBDRIVER_PORT  as app.e2e.mjs
//   OPENED_LOG           the stand-in xdg-open's record: one line per address it was handed

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "./session.mjs";

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set (tests/e2e/run sets it)`);
  return value;
}

const SRV = Object.fromEntries(
  readFileSync(env("SERVERS_ENV"), "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const HITS = `http://127.0.0.1:${Number(env("HITS_PORT"))}`;
const SHOTS = env("SCREENSHOT_DIR");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hits = async () => (await (await fetch(`${HITS}/__count`)).json()).hits;
const opened = () => (existsSync(env("OPENED_LOG")) ? readFileSync(env("OPENED_LOG"), "utf8") : "");
const doveconf = join(SRV.STATE_DIR, "dovecot", "dovecot.conf");
/** A raw message saved straight into one of alice's mailboxes, as another client would. */
function save(mailbox, subject, html) {
  const raw = [
    `From: Mallory <mallory@example.test>`,
    `To: ${SRV.ALICE}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Date.now()}.${Math.random()}@example.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/html; charset=utf-8",
    "",
    html,
  ].join("\r\n");
  execFileSync("doveadm", ["-c", doveconf, "save", "-u", SRV.ALICE, "-m", mailbox], { input: raw });
}

// Over everything: a link to the frame's own address with remote content on.
const cover = `<a href="?remote=1" style="position:absolute;top:0;left:0;width:100%;height:100%;display:block">cover</a>`;
const above = "position:relative;z-index:2;display:block;margin:8px";
const HOSTILE = `${cover}
<p>Hostile body text.</p>
<img src="/1" alt="another message"><img src="${HITS}/hostile.gif" alt="tracker">
<div style="background:url(/1);height:20px">styled</div>
<a style="${above}" href="https://example.org/real-link">example.org/real-link</a>
<a style="${above}" href="https://evil.example/login">www.bank.example</a>
<a style="${above}" href="data:text/html,<b>data</b>">data link</a>
<a style="${above}" href="file:///etc/passwd">file link</a>
<a style="${above}" href="courriel-msg://localhost/1">scheme link</a>
<a style="${above}" href="/1">relative link</a>`;
const DRAFT = `<style>body { background: rgb(255, 0, 0) !important; } nav, main, aside { visibility: hidden !important; }</style>
<meta http-equiv="refresh" content="0;url=${HITS}/refresh">
<base href="${HITS}/">
<form action="${HITS}/form"><button>Go</button></form>
<p style="position:fixed;top:0;left:0;width:100vw;height:100vh;background:rgb(0,0,255)">Draft text survives.</p>
<img src="${HITS}/draft.gif"><a href="${HITS}/nav">a link</a>`;

test("hostile mail cannot move, restyle or reach out of the app", { timeout: 300_000 }, async (t) => {
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const testid = (id) => `[data-testid="${id}"]`;
  async function until(what, check, timeout = 60_000) {
    try {
      await browser.waitUntil(check, { timeout, interval: 250 });
    } catch (error) {
      await browser.saveScreenshot(join(SHOTS, `failure-reader-${what.replace(/\W+/g, "-")}.png`)).catch(() => {});
      assert.fail(`timed out waiting for ${what}: ${error.message}`);
    }
  }
  const rowOf = (subject) => `//*[@data-testid="message-row"][.//*[@data-testid="message-subject"][normalize-space()="${subject}"]]`;
  async function syncUntilListed(subject, folder) {
    await until(`${subject} listed`, async () => {
      if (folder && (await $(folder).isExisting())) await $(folder).click();
      if (await $(rowOf(subject)).isExisting()) return true;
      const sync = await $(testid("sync"));
      if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
      return false;
    }, 90_000);
  }
  async function type(id, value) {
    const el = await $(testid(id));
    await el.waitForDisplayed({ timeout: 10_000 });
    await el.clearValue();
    await el.setValue(String(value));
  }
  /** Alone (not after app.e2e.mjs): alice signs in, servers by hand. */
  async function signInAlice() {
    await type("onboarding-name", "Alice Test");
    await type("onboarding-email", SRV.ALICE);
    await $(testid("enter-by-hand")).click();
    await type("imap-host", SRV.HOST);
    await type("imap-port", SRV.IMAPS_PORT);
    await $(testid("imap-security")).selectByAttribute("value", "tls");
    await type("smtp-host", SRV.HOST);
    await type("smtp-port", SRV.SUBMISSION_PORT);
    await $(testid("smtp-security")).selectByAttribute("value", "starttls");
    await type("ca-file", SRV.CA_FILE);
    await type("onboarding-password", SRV.ALICE_PASSWORD);
    await $(testid("onboarding-submit")).click();
    await until("alice to be added", async () => !(await $(testid("onboarding")).isExisting()));
  }
  /** Runs `fn` inside the reader's frame. */
  async function inFrame(fn) {
    await browser.switchFrame(await $(testid("reader-frame")));
    try {
      return await fn();
    } finally {
      await browser.switchToParentFrame();
    }
  }
  const frameState = () =>
    inFrame(() =>
      browser.execute(() => ({
        url: document.URL,
        text: document.body?.textContent ?? "",
        images: Array.from(document.images, (i) => i.src),
      })),
    );

  await until("the app", async () => (await $(testid("onboarding")).isExisting()) || (await $(testid("nav-inbox")).isExisting()), 30_000);
  if (await $(testid("onboarding")).isExisting()) await signInAlice();
  // A draft left open by the previous test reopens at start: out of the way.
  if (await $(testid("compose")).isExisting()) await browser.keys(["Escape"]);
  await until("compose closed", async () => !(await $(testid("compose")).isExisting()), 10_000);
  const hitsBefore = await hits();
  const openedBefore = opened();

  // 1. The hostile message: nothing it points at loads, its cover link goes nowhere.
  const subject = `E2E hostile ${Date.now()}`;
  save("INBOX", subject, HOSTILE);
  await $(testid("nav-inbox")).click();
  await syncUntilListed(subject);
  await $(rowOf(subject)).click();
  await $(testid("remote-blocked")).waitForDisplayed({ timeout: 20_000 });
  await until("the sender check", () => $(testid("trust-summary")).isExisting());
  await until("the hostile body in the frame", async () => (await $(testid("reader-frame")).isExisting()) && (await frameState()).text.includes("Hostile body text."));
  const first = await frameState();
  assert.ok(!first.images.some((src) => /^courriel-msg:|courriel-msg\.localhost/.test(src)), `an image points into the app: ${first.images}`);
  assert.ok(!(await $(testid("always-load-images")).isExisting()), "'always' offered for an unproven sender");
  await browser.saveScreenshot(join(SHOTS, "reader-hostile.png"));

  /** Clicks `selector` in the frame (at `corner` px from its top left when given, where
   * the cover has nothing above it), then checks that nothing moved. */
  async function clickAndCheck(selector, corner) {
    await inFrame(async () => {
      const el = await $(selector);
      if (!corner) return el.click();
      const { width, height } = await el.getSize();
      return el.click({ x: Math.round(corner.x - width / 2), y: Math.round(corner.y - height / 2) });
    });
    await sleep(1500);
    const now = await frameState();
    assert.equal(now.url, first.url, `clicking ${selector} navigated the frame`);
    assert.ok(now.text.includes("Hostile body text."), `clicking ${selector} replaced the message`);
    assert.ok(await $(testid("remote-blocked")).isDisplayed(), `the banner left after clicking ${selector}`);
    assert.equal(await hits(), hitsBefore, `clicking ${selector} contacted the remote host`);
  }
  await clickAndCheck("a=cover", { x: 30, y: 20 });
  await clickAndCheck("a=cover", { x: 250, y: 40 });
  for (const text of ["data link", "file link", "scheme link", "relative link"]) await clickAndCheck(`a=${text}`);
  assert.equal(opened(), openedBefore, "a data:, file:, app-scheme or relative link reached the opener");

  // 2. An https link opens in the system browser (the stand-in xdg-open records it).
  await clickAndCheck("a=example.org/real-link");
  await until("the link handed to the opener", async () => opened().includes("https://example.org/real-link"), 10_000);

  // 3. A link whose text names another domain: the real address first, opened on "Open".
  await clickAndCheck("a=www.bank.example");
  await $(testid("link-confirm")).waitForDisplayed({ timeout: 10_000 });
  assert.match(await $(testid("link-confirm-url")).getText(), /^https:\/\/evil\.example\/login$/);
  assert.ok(!opened().includes("evil.example"), "the disguised link opened before the user saw its address");
  await browser.saveScreenshot(join(SHOTS, "reader-link-confirm.png"));
  await $(testid("link-confirm-open")).click();
  await until("the confirmed link handed to the opener", async () => opened().includes("https://evil.example/login"), 10_000);
  assert.equal(await hits(), hitsBefore, "the remote host was contacted");

  // 4. The hostile draft: "Edit draft" puts its HTML in the composer, where it can
  // neither restyle the window nor take it anywhere.
  const draftSubject = `E2E hostile draft ${Date.now()}`;
  save("Drafts", draftSubject, DRAFT);
  const drafts = `${testid("folder")}[data-folder="Drafts"]`;
  await syncUntilListed(draftSubject, drafts);
  await $(rowOf(draftSubject)).click();
  await $(testid("edit-draft")).waitForDisplayed({ timeout: 20_000 });
  const url = await browser.getUrl();
  await $(testid("edit-draft")).click();
  await until("the draft in compose", async () => (await $(testid("compose")).isExisting()) && (await $(testid("compose")).getText()).includes("Draft text survives."), 20_000);
  await sleep(2000); // time for a refresh, a form or an image to go out
  const looks = await browser.execute(() => {
    const compose = document.querySelector('[data-testid="compose"]');
    const editor = compose?.querySelector("[contenteditable]");
    // The draft's position:fixed paragraph: over the window's corner, or kept in its box?
    const corner = document.elementFromPoint(5, 5);
    return {
      background: getComputedStyle(document.body).backgroundColor,
      sidebar: getComputedStyle(document.querySelector("nav") ?? document.body).visibility,
      styles: editor?.querySelectorAll("style").length ?? -1,
      meta: document.querySelectorAll("meta[http-equiv]").length,
      forms: document.querySelectorAll("form").length,
      coversWindow: !!corner && !!editor?.contains(corner),
    };
  });
  await browser.saveScreenshot(join(SHOTS, "draft-hostile.png"));
  assert.equal(await browser.getUrl(), url, "the window navigated");
  assert.notEqual(looks.background, "rgb(255, 0, 0)", "the draft restyled the window");
  assert.equal(looks.sidebar, "visible", "the draft hid the window's parts");
  assert.equal(looks.styles, 0, "a <style> reached the composer");
  assert.equal(looks.meta, 0, "a <meta http-equiv> reached the window");
  assert.equal(looks.forms, 0, "a <form> reached the window");
  assert.equal(looks.coversWindow, false, "the draft's markup covers the window");
  assert.equal(await hits(), hitsBefore, "the draft contacted the remote host");
  assert.ok(!opened().includes(HITS), "the draft sent an address to the opener");
});
