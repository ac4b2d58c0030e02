// The real desktop app, driven through tauri-driver + WebKitWebDriver: the unified inbox lists
// the message that tests/e2e/run sent through the real servers and synced with the CLI.
//
// Started by tests/e2e/run, which sets up everything this reads from the environment:
//   COURRIEL_APP_BINARY  absolute path of the built app (ui/dist embedded, not a devUrl build)
//   COURRIEL_DATA_DIR    the store the app reads; reaches the app by inheritance
//                        (tauri-driver -> WebKitWebDriver -> app), so it is only checked here
//   EXPECT_SUBJECT       the subject of a message that must be listed
//   EXPECT_FROM          text the sender cell of that row must contain
//   SCREENSHOT_PATH      where to save a PNG of the window once the row is shown
//   WEBDRIVER_PORT       tauri-driver's port (default 4444)

import assert from "node:assert/strict";
import { accessSync, constants, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import { test } from "node:test";
import { remote } from "webdriverio";

const WAIT_FOR_ROW_MS = 30_000;

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set (tests/e2e/run sets it; see the top of this file)`);
  return value;
}

function appBinary() {
  const bin = env("COURRIEL_APP_BINARY");
  assert.ok(isAbsolute(bin), `COURRIEL_APP_BINARY must be an absolute path, got ${bin}`);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    assert.fail(
      `COURRIEL_APP_BINARY=${bin} does not exist or is not executable: build the app first ` +
        `(with ui/dist embedded: --features tauri/custom-protocol, or tauri build --debug --no-bundle)`,
    );
  }
  return bin;
}

/** An XPath string literal for any text, quotes included. */
function xpathLiteral(text) {
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  return `concat(${text
    .split('"')
    .map((part) => `"${part}"`)
    .join(`, '"', `)})`;
}

/** What the message list shows right now, read in one round trip. */
function readInbox(browser) {
  return browser.execute(() => {
    const text = (root, testid) =>
      root.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim() ?? null;
    return {
      rows: Array.from(document.querySelectorAll('[data-testid="message-row"]'), (row) => ({
        subject: text(row, "message-subject"),
        from: text(row, "message-from"),
      })),
      error: text(document, "inbox-error"),
      empty: document.querySelector('[data-testid="empty-inbox"]') !== null,
      loading: document.querySelector('[data-testid="inbox-loading"]') !== null,
    };
  });
}

test("the unified inbox lists the message sent through the real servers", { timeout: 120_000 }, async (t) => {
  const application = appBinary();
  env("COURRIEL_DATA_DIR");
  const subject = env("EXPECT_SUBJECT");
  const from = env("EXPECT_FROM");
  const screenshot = env("SCREENSHOT_PATH");
  assert.ok(isAbsolute(screenshot), `SCREENSHOT_PATH must be absolute, got ${screenshot}`);
  const port = Number(process.env.WEBDRIVER_PORT ?? 4444);

  let browser;
  try {
    browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      connectionRetryCount: 0,
      capabilities: {
        browserName: "wry",
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application },
      },
    });
  } catch (error) {
    assert.fail(
      `no WebDriver session from tauri-driver on 127.0.0.1:${port} for ${application}: ${error.message}`,
    );
  }
  t.after(async () => {
    await browser.deleteSession().catch((error) => console.error(`deleteSession failed: ${error.message}`));
  });

  // Wait for the state, not for time: the row appears once list_inbox has answered.
  let last = { rows: [], error: null, empty: false, loading: true };
  try {
    await browser.waitUntil(
      async () => {
        last = await readInbox(browser);
        if (last.error !== null) throw new Error(`the inbox shows an error: ${last.error}`);
        return last.rows.some((row) => row.subject === subject);
      },
      { timeout: WAIT_FOR_ROW_MS, interval: 200 },
    );
  } catch (error) {
    const failure = screenshot.replace(/\.png$/i, "") + "-failure.png";
    mkdirSync(dirname(failure), { recursive: true });
    await browser.saveScreenshot(failure).catch(() => {});
    const shown = last.rows.slice(0, 10).map((r) => `  ${r.from} | ${r.subject}`).join("\n");
    assert.fail(
      `no message row with subject ${JSON.stringify(subject)} after ${WAIT_FOR_ROW_MS} ms ` +
        `(${error.message}).\nloading=${last.loading} empty=${last.empty} rows=${last.rows.length}` +
        `${shown ? `:\n${shown}` : ""}\nscreenshot of the window: ${failure}`,
    );
  }

  // Assert through WebDriver's own view of the element, as a user would see it rendered.
  const row = browser.$(
    `//*[@data-testid="message-row"][.//*[@data-testid="message-subject"][normalize-space()=${xpathLiteral(subject)}]]`,
  );
  assert.equal(await row.$('[data-testid="message-subject"]').getText(), subject);
  const sender = await row.$('[data-testid="message-from"]').getText();
  assert.ok(sender.includes(from), `sender cell shows ${JSON.stringify(sender)}, expected it to contain ${JSON.stringify(from)}`);

  // The DOM is right; let the compositor paint it before taking the picture.
  await browser.execute(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))),
  );
  mkdirSync(dirname(screenshot), { recursive: true });
  await browser.saveScreenshot(screenshot);
  assert.ok(statSync(screenshot).size > 0, `${screenshot} is empty`);
  const magic = readFileSync(screenshot).subarray(0, 8);
  assert.deepEqual([...magic], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${screenshot} is not a PNG`);
});
