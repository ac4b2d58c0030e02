// A WebDriver session that starts the desktop app through tauri-driver (WebKitWebDriver
// underneath): what every end-to-end script and the app benchmark drive.
import { remote } from "webdriverio";

/**
 * @param {string} application the app binary
 * @param {{ args?: string[], port?: number }} [options] its arguments; tauri-driver's port
 *   (default: WEBDRIVER_PORT, else 4444)
 */
export function appSession(application, { args = [], port = Number(process.env.WEBDRIVER_PORT ?? 4444) } = {}) {
  return remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args },
    },
  });
}
