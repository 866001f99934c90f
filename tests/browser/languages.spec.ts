/**
 * The main participant journey in two languages, in real Chromium: join with an invitation, post a
 * position, vote (inline and through vote-next). English is the default; Portuguese is chosen with the
 * footer's language menu on the invitation page and remembered (cookie) on every page after. Expected
 * texts are read from consultations/locales/<lang>.json, not copied here.
 */
import { expect, test, type Page } from "@playwright/test";
import { localeFile } from "../fixtures/locales";
import { expectNoAxeViolations } from "./a11y-helpers";
import {
  addQuestion,
  createConsultation,
  createInvitations,
  escapeRegExp,
  joinWithLink,
  movePhase,
  newPerson,
  openQuestion,
  postPosition,
  signUpFacilitator,
  uniqueSlug,
  visit,
} from "./helpers";

type Tree = ReturnType<typeof localeFile>["translation"];
const locale = (lang: string): Tree => localeFile(lang).translation;

/**
 * One interface text of a language as the page shows it: {{values}} filled in, <tag>…</tag> markup
 * (Trans components) reduced to its words.
 */
function text(tree: Tree, key: string, values: Record<string, string | number> = {}): string {
  const found = key.split(".").reduce<string | Tree | undefined>((node, part) => (node && typeof node === "object" ? node[part] : undefined), tree);
  if (typeof found !== "string") throw new Error(`no text ${key} in the locale file`);
  return found
    .replace(/\{\{\s*(\w+)(?:\s*,\s*\w+)?\s*\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`))
    .replace(/<\/?\w+\s*\/?>/g, "");
}

const PEERS = "Peers who use drugs";
const POLICE = "Police";
const QUESTION = "What should outreach services offer at night?";
const OTHER = "Night buses should stop near the drop-in centre.";

for (const lang of ["en", "pt"] as const) {
  test(`the participant journey in ${lang === "en" ? "English" : "Portuguese"}: join, post a position, vote`, async ({ browser }) => {
    test.setTimeout(150_000);
    const T = locale(lang);
    const t = (key: string, values?: Record<string, string | number>) => text(T, key, values);
    if (lang !== "en") {
      // The file really is translated: the texts this journey reads differ from the English ones.
      const en = locale("en");
      for (const key of ["join.code.join", "join.written.title", "participant.question.post", "participant.vote.agree", "participant.next.title"]) {
        expect(t(key), key).not.toBe(text(en, key));
      }
    }

    // ---- set-up in English: a consultation, a question, another participant's position -------------------
    const fac = await signUpFacilitator(browser, "Lin Languages");
    const slug = uniqueSlug(`lang-${lang}`);
    const title = `Night outreach ${slug}`;
    await createConsultation(fac.page, { title, slug, groups: [PEERS, POLICE] });
    await addQuestion(fac.page, slug, QUESTION);
    const [peerSlip] = await createInvitations(fac.page, slug, PEERS, 1);
    const [policeSlip] = await createInvitations(fac.page, slug, POLICE, 1);
    await movePhase(fac.page, slug, "Positions");
    const other = await joinWithLink(browser, policeSlip, slug);
    await openQuestion(other.page, slug, QUESTION);
    await postPosition(other.page, OTHER);

    // ---- the participant opens the invitation and (in Portuguese) picks the language in the footer ----------
    const p = await newPerson(browser);
    const page: Page = p.page;
    await visit(page, peerSlip.link);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    if (lang !== "en") {
      const menu = page.locator("form.language-menu");
      await menu.getByRole("combobox").selectOption(lang);
      await menu.getByRole("button").click();
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page).toHaveURL(new RegExp(`${escapeRegExp(new URL(peerSlip.link).pathname)}$`));
      await visit(page, new URL(peerSlip.link).pathname); // hydrated in the new language
    }
    await expect(page.locator("footer")).toContainText(t("root.footer"));

    // ---- join ------------------------------------------------------------------------------------------
    await expect(page.getByRole("heading", { level: 1, name: t("join.code.title", { title }) })).toBeVisible();
    await expectNoAxeViolations(page, `invitation page (${lang})`);
    await page.getByLabel(t("join.code.pseudonym")).fill("Lantern Owl");
    await page.getByRole("button", { name: t("join.code.join") }).click();
    await expect(page.getByRole("heading", { level: 1, name: t("join.written.title") })).toBeVisible();
    await expect(page.getByRole("region", { name: t("join.written.codeTitle") })).toBeVisible();
    await expect(page.getByText(t("join.written.youAreIn", { pseudonym: "Lantern Owl", group: PEERS }))).toBeVisible();
    await page.getByRole("link", { name: t("join.written.continue") }).click();
    await expect(page).toHaveURL(new RegExp(`/c/${escapeRegExp(slug)}$`));
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("link", { name: t("participant.consultation.voteNext") }).first()).toBeVisible();

    // ---- post a position --------------------------------------------------------------------------------
    await page.getByRole("link", { name: QUESTION, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: QUESTION })).toBeVisible();
    const post = page.getByRole("region", { name: t("participant.question.postTitle") });
    const mine = "Outreach vans should carry naloxone and warm drinks.";
    await post.getByLabel(t("participant.counter.yourPosition")).fill(mine);
    await post.getByRole("button", { name: t("participant.question.post") }).click();
    await expect(page.getByRole("status").filter({ hasText: t("participant.question.posted").split(".")[0] })).toBeVisible();
    await expect(page.locator("article.position").filter({ hasText: mine })).toHaveCount(1);
    await expectNoAxeViolations(page, `question page (${lang})`);

    // ---- vote: inline on the other participant's card ---------------------------------------------------------
    const card = page.locator("article.position").filter({ hasText: OTHER });
    const agree = card.getByRole("group", { name: t("participant.vote.legend") }).getByRole("button", { name: t("participant.vote.agree"), exact: true });
    await agree.click();
    await expect(agree).toHaveAttribute("aria-pressed", "true");

    // ---- vote-next: nothing left (own position excluded, the other voted) --------------------------------------
    await visit(page, `/c/${slug}/next`);
    await expect(page.getByRole("heading", { level: 1, name: t("participant.next.title") })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: t("participant.next.allDone") })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);

    for (const who of [fac, other, p]) await who.context.close();
  });
}
