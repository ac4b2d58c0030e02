// The toast's timing (Toast.svelte draws it): a message goes away by itself after a few
// seconds, except a countdown, which is the time left to undo a send and must stay up
// until it runs out.

export type Toast = {
  text: string;
  /** Seconds left in a countdown; Undo is offered while there are some. */
  secs?: number;
  undo?: () => void;
};

/** How long a plain toast stays. */
export const TOAST_MS = 5000;

export class Toaster {
  current = $state.raw<Toast | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Shows `toast` in place of the one shown (`null`: none). */
  show(toast: Toast | null): void {
    clearTimeout(this.#timer);
    this.current = toast;
    if (!toast || toast.secs) return;
    this.#timer = setTimeout(() => {
      if (this.current === toast) this.current = null;
    }, TOAST_MS);
  }

  /**
   * `text(secs)` with Undo, one second less each second, then `done`. A toast shown
   * meanwhile (the undo's own answer, another send) ends the countdown.
   */
  countdown(secs: number, text: (secs: number) => string, done: string, undo: () => void): void {
    this.show({ text: text(secs), secs, undo });
    const tick = setInterval(() => {
      const shown = this.current;
      if (!shown || shown.undo !== undo) return clearInterval(tick);
      const left = (shown.secs ?? 1) - 1;
      if (left > 0) return this.show({ ...shown, secs: left, text: text(left) });
      clearInterval(tick);
      this.show({ text: done });
    }, 1000);
  }
}
