// Unsubscribe's words: what will happen before the click (the reader says it), and what
// did after. The way itself is the engine's choice (one click, a mail, the list's page).

import type { UnsubscribeKind, UnsubscribePlan, Unsubscribed } from "./bindings";
import { translate, type Key, type Lang } from "./i18n";

const WILL: Record<UnsubscribeKind, Key> = {
  oneClick: "unsubscribeOneClick",
  mail: "unsubscribeMail",
  page: "unsubscribePage",
};
const DID: Record<UnsubscribeKind, Key> = {
  oneClick: "unsubscribedOneClick",
  mail: "unsubscribedMail",
  page: "unsubscribedPage",
};

export const planWords = (plan: UnsubscribePlan, lang: Lang): string =>
  translate(lang, WILL[plan.kind], { host: plan.host });

export const doneWords = (done: Unsubscribed, lang: Lang): string =>
  translate(lang, DID[done.plan.kind], { host: done.plan.host });
