// Folder management (issue 17) in the real app against the real Dovecot: a folder made
// from the sidebar (+ beside the account) exists on the server, subscribed; a message
// row dragged onto it moves there (doveadm finds it in the folder); renamed from its ⋯
// menu, the server has the new name and the folder keeps its message; deleted (after
// the question), it is gone from the server and the sidebar. Special-use folders have
// no ⋯ menu.
//
// Started by tests/e2e/run after app.e2e.mjs (alice signed in). Mail is put straight into
// alice's INBOX with doveadm; names carry this run's token.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { appSession } from "../session.mjs";
import { doveadm, env, rowOf, saveRaw, SHOTS, sleep, SRV, testid, waiter } from "./kit.mjs";

const token = `fold${Date.now().toString(36)}`;
const mailboxes = (...flags) => doveadm("mailbox", "list", ...flags, "-u", SRV.ALICE).split("\n").map((l) => l.trim());

function save(subject) {
  const raw = [
    `From: Zoe Sender <zoe@example.test>`,
    `To: ${SRV.ALICE}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${token}@example.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Move me.",
  ].join("\r\n");
  saveRaw(raw);
}

test("folders: create, drag a message in, rename, delete, from the sidebar", { timeout: 300_000 }, async (t) => {
  const browser = await appSession(env("COURRIEL_APP_BINARY"));
  t.after(() => browser.deleteSession().catch(() => {}));
  const $ = (selector) => browser.$(selector);
  const until = waiter(browser, "folders");
  const account = `//li[contains(@class,"account")][.//*[contains(@class,"email")][normalize-space()="${SRV.ALICE}"]]`;
  const folderRow = (shown) => `${account}//li[.//*[@data-testid="folder"][.//*[contains(@class,"label")][normalize-space()="${shown}"]]]`;
  const folderButton = (shown) => `${folderRow(shown)}//*[@data-testid="folder"]`;
  const byWire = (wire) => `${account}//li[.//*[@data-testid="folder"][@data-folder="${wire}"]]`;
  async function type(value) {
    const input = await $(`${account}//*[@data-testid="folder-name-input"]`);
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.clearValue();
    await input.setValue(value);
    await $(`${account}//*[@data-testid="folder-save"]`).click();
  }

  await until("the app", async () => (await $(testid("nav-inbox")).isExisting()), 30_000);
  // A draft left by an earlier test reopens in compose at start, over everything: closed
  // (it stays a draft) whenever it shows in the first seconds.
  for (const end = Date.now() + 5000; Date.now() < end; await sleep(250)) {
    if (await $(testid("compose")).isExisting()) await browser.keys(["Escape"]);
  }
  await until("compose closed", async () => !(await $(testid("compose")).isExisting()), 10_000);
  const subject = `Move me ${token}`;
  save(subject);

  // Special-use folders offer no rename or delete.
  await until("alice's folders", () => $(byWire("Sent")).isExisting());
  assert.ok(!(await $(`${byWire("Sent")}//*[@data-testid="folder-menu"]`).isExisting()), "Sent has a ⋯ menu");

  // 1. Create: on the server (modified UTF-7 there, doveadm shows it decoded), subscribed.
  const name = `Réunions ${token}`;
  await $(`${account}//*[@data-testid="new-folder"]`).click();
  await type(name);
  await until("the new folder in the sidebar", () => $(folderButton(name)).isExisting());
  assert.ok(mailboxes().includes(name), `doveadm lists ${name}`);
  assert.ok(mailboxes("-s").includes(name), `${name} is subscribed`);

  // 2. Drag the message's row from the inbox onto the folder (HTML drag and drop, the
  // events dispatched with one DataTransfer as a drag carries it: WebKitWebDriver does
  // not drive native drags).
  await $(`${byWire("INBOX")}//*[@data-testid="folder"]`).click();
  await until(`${subject} listed`, async () => {
    if (await $(rowOf(subject)).isExisting()) return true;
    const sync = await $(testid("sync"));
    if ((await sync.isExisting()) && (await sync.isEnabled())) await sync.click();
    return false;
  }, 90_000);
  const dropped = await browser.execute(
    (row, target) => {
      const transfer = new DataTransfer();
      const fire = (el, type) => {
        let event;
        try {
          event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer });
        } catch {
          event = new Event(type, { bubbles: true, cancelable: true });
        }
        if (event.dataTransfer !== transfer) Object.defineProperty(event, "dataTransfer", { value: transfer });
        el.dispatchEvent(event);
        return event.defaultPrevented;
      };
      fire(row, "dragstart");
      const accepted = fire(target, "dragover");
      fire(target, "drop");
      fire(row, "dragend");
      return accepted;
    },
    await $(rowOf(subject)),
    await $(folderRow(name)),
  );
  assert.ok(dropped, "the folder refused the drag");
  await until("the row gone from the inbox", async () => !(await $(rowOf(subject)).isExisting()));
  await until("the message in the folder on the server", async () =>
    doveadm("search", "-u", SRV.ALICE, "mailbox", name, "subject", token).trim() !== "",
  );
  await $(folderButton(name)).click();
  await until("the message listed in the folder", () => $(rowOf(subject)).isExisting());
  await browser.saveScreenshot(join(SHOTS, "folders.png")).catch(() => {});

  // 3. Rename from the ⋯ menu: the server has the new name, the message stayed.
  const renamed = `Réunions renommées ${token}`;
  await $(`${folderRow(name)}//*[@data-testid="folder-menu"]`).click();
  await $(`${folderRow(name)}//*[@data-testid="folder-rename"]`).click();
  await type(renamed);
  await until("the renamed folder in the sidebar", () => $(folderButton(renamed)).isExisting());
  const listed = mailboxes();
  assert.ok(listed.includes(renamed) && !listed.includes(name), listed.join(", "));
  assert.ok(mailboxes("-s").includes(renamed), "the new name is subscribed");
  await $(folderButton(renamed)).click();
  await until("the message still in the renamed folder", () => $(rowOf(subject)).isExisting());

  // 4. Delete, after the question that says how many messages go.
  await $(`${folderRow(renamed)}//*[@data-testid="folder-menu"]`).click();
  await $(`${folderRow(renamed)}//*[@data-testid="folder-delete"]`).click();
  const confirm = await $(`${folderRow(renamed)}//*[@data-testid="folder-delete-confirm"]`);
  await confirm.waitForDisplayed({ timeout: 10_000 });
  assert.match(await $(`${folderRow(renamed)}//*[@role="alertdialog"]`).getText(), /1 messages/);
  await confirm.click();
  await until("the folder gone from the sidebar", async () => !(await $(folderButton(renamed)).isExisting()));
  assert.ok(!mailboxes().includes(renamed), "doveadm still lists the deleted folder");
});
