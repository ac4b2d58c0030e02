// The message list at 100,000 messages, in the real app: the rows in view come first, the
// whole folder follows, the DOM keeps only the rows around the viewport, and scrolling
// from top to bottom stays smooth. The cache is filled by the engine's seed_cache example
// (tests/e2e/run), so no server is involved. This app runs with LANG=fr_FR.UTF-8, and its
// window speaks French.
//
//   COURRIEL_APP_BINARY, WEBDRIVER_PORT, SCREENSHOT_DIR as for app.e2e.mjs
//   BIG_COUNT   how many messages the cache holds
//   COURRIEL_DNS (inherited by the app) the script's dnsmasq, which has no DMARC record
//               for example.test: Settings' domain check says so, in French

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "./session.mjs";

const count = Number(process.env.BIG_COUNT ?? 100_000);

test(`the message list at ${count} messages`, { timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const browser = await appSession(process.env.COURRIEL_APP_BINARY);
  t.after(() => browser.deleteSession().catch(() => {}));
  const list = '[data-testid="message-list"]';

  await browser.waitUntil(async () => (await browser.$('[data-testid="message-row"]')).isExisting(), {
    timeout: 60_000,
    interval: 100,
  });
  const firstRows = Date.now() - started;
  await browser.waitUntil(async () => Number(await (await browser.$(list)).getAttribute("data-count")) === count, {
    timeout: 120_000,
    interval: 250,
  });
  const whole = Date.now() - started;

  // Scroll from the top to the bottom in 60 jumps, one per frame, timing each frame.
  const run = await browser.execute(
    (steps) =>
      new Promise((resolve) => {
        const grid = document.querySelector('[data-testid="message-list"]');
        const frames = [];
        let maxRows = 0;
        let i = 0;
        let last = performance.now();
        const step = () => {
          const now = performance.now();
          if (i > 0) frames.push(now - last);
          last = now;
          maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="message-row"]').length);
          if (i > steps) {
            resolve({ frames, maxRows, bottom: grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 2 });
            return;
          }
          grid.scrollTop = (grid.scrollHeight * i) / steps;
          grid.dispatchEvent(new Event("scroll"));
          i += 1;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    60,
  );
  const sorted = [...run.frames].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length * 0.5)];
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  console.log(
    `# ${count} messages: first rows after ${firstRows} ms, the whole list after ${whole} ms; ` +
      `scrolling top to bottom: frame p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; at most ${run.maxRows} rows in the DOM`,
  );
  assert.ok(run.bottom, "the list did not reach its end");
  assert.ok(run.maxRows < 100, `${run.maxRows} rows in the DOM`);

  // The oldest message is at the bottom, shown once its row has been read (the list holds
  // ids; rows are read as they come into view, and only a few thousand are kept).
  const subjects = () =>
    browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="message-subject"]'), (s) => s.textContent.trim()),
    );
  await browser
    .waitUntil(async () => (await subjects()).some((s) => s.startsWith("Message 0 about")), { timeout: 30_000, interval: 100 })
    .catch(async () => assert.fail(`bottom rows: ${(await subjects()).slice(-3)}`));
  assert.equal((await browser.$$('[data-testid="message-row-loading"]')).length, 0, "rows in view still loading");
  // (textContent: WebKitWebDriver's getText is "" for an element that clips its overflow.)
  const title = await browser.execute(() => document.getElementById("mailbox-title")?.textContent?.trim());
  assert.equal(title, "Toutes les boîtes");
  await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
  await browser.saveScreenshot(join(process.env.SCREENSHOT_DIR, "big-list.png"));

  // Settings speak French too: the domain check of example.test (the account's domain,
  // the user's own), its missing DMARC record failing, with the fix.
  await (await browser.$('[data-testid="nav-settings"]')).click();
  const card = await browser.$('[data-testid="domain-check"][data-domain="example.test"]');
  await card.waitForExist({ timeout: 20_000 });
  assert.equal(await browser.execute(() => document.getElementById("domains-title")?.textContent?.trim()), "Votre domaine");
  await card.scrollIntoView();
  await (await card.$('[data-testid="domain-check-button"]')).click();
  const dmarc = '[data-testid="finding-group"][data-topic="dmarc"]';
  await browser.waitUntil(async () => (await browser.$(dmarc)).isExisting(), { timeout: 60_000, interval: 250 });
  const words = await browser.execute((sel) => document.querySelector(sel).textContent.replace(/\s+/g, " "), dmarc);
  assert.equal(await (await browser.$(dmarc)).getAttribute("data-status"), "fail");
  assert.match(words, /Échec/);
  assert.match(words, /example\.test n'a pas d'enregistrement DMARC/);
  assert.match(words, /Correction : Publiez un enregistrement TXT à _dmarc\.example\.test/);
});
