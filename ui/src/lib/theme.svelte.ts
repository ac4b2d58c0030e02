// The appearance: the system's theme, or light or dark as chosen in Settings (kept by the
// shell with the window's size, so the window's own title bar and dialogs follow too).
// The page shows it as `data-theme` on <html> (app.css); the reader's frame, a page of
// its own, is asked for in dark when the window is dark (engine reader/dark.rs), unless
// the user asked for a message's original colours.
import * as backend from "./backend";
import type { Appearance } from "./backend";

/** Whether the window is dark for `choice` when the system is dark or not. */
export function isDark(choice: Appearance, systemDark: boolean): boolean {
  return choice === "dark" || (choice === "system" && systemDark);
}

/** Whether a message's page is asked for dark: the window is, and the user did not ask
 * for the message's original colours. */
export function frameDark(windowDark: boolean, originalColours: boolean): boolean {
  return windowDark && !originalColours;
}

class Theme {
  choice = $state<Appearance>("system");
  systemDark = $state(false);
  readonly dark = $derived(isDark(this.choice, this.systemDark));

  /** At start: the stored choice, the system's theme followed as it changes. */
  start(): () => void {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => (this.systemDark = query.matches);
    follow();
    query.addEventListener("change", follow);
    void backend.appearance().then(
      (choice) => (this.choice = choice),
      () => {},
    );
    const stop = $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.dark ? "dark" : "light";
      });
    });
    return () => {
      query.removeEventListener("change", follow);
      stop();
    };
  }

  async choose(choice: Appearance): Promise<void> {
    this.choice = choice;
    await backend.setAppearance(choice);
  }
}

export const theme = new Theme();
