/**
 * Helpers for the browser journeys: each person gets their own browser context (own cookies), and every
 * step goes through the pages' visible labels, as a person would.
 */
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";

export const FACILITATOR_PASSWORD = "correct horse battery staple";

let counter = 0;

/** A short token unique within this run (and very likely across runs on the same database). */
export function unique(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 5)}`;
}

/** A consultation web address no other test uses. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${unique()}`;
}

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** Pages whose context runs JavaScript (those wait for hydration before they are used). */
const scripted = new WeakSet<Page>();

/** A fresh browser context (its own cookie jar) with one page. */
export async function newPerson(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Person> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  if (javaScriptEnabled) scripted.add(page);
  return { context, page };
}

/**
 * Waits until React has hydrated the document: <html> is the last element React's render completes,
 * and the commit follows in the same task. Until then a click submits the form natively.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => Object.keys(document.documentElement).some((key) => key.startsWith("__reactFiber$") || key.startsWith("__reactProps$")),
      undefined,
      { timeout: 15_000 },
    )
    .catch((error: unknown) => {
      throw new Error(`${page.url()} did not hydrate within 15 s (a script failed to load or threw?): ${String(error)}`);
    });
}

/** page.goto, then (with JavaScript) waits for hydration, so forms go through Remix as they would for a person. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  if (scripted.has(page)) await waitForHydration(page);
}

// ---- facilitator -----------------------------------------------------------------------------

export interface Facilitator extends Person {
  email: string;
  displayName: string;
}

/** Signs a new facilitator up through /signup (a new organisation); lands on /facilitate. */
export async function signUpFacilitator(browser: Browser, displayName = "Fran Facilitator"): Promise<Facilitator> {
  const person = await newPerson(browser);
  const { page } = person;
  const email = `facilitator-${unique()}@example.org`;
  await visit(page, "/signup");
  await page.getByLabel("Organisation name").fill(`Harm Reduction Network ${unique()}`);
  await page.getByLabel("Your name").fill(displayName);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(FACILITATOR_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/facilitate$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your consultations" })).toBeVisible();
  return { ...person, email, displayName };
}

export interface NewConsultation {
  title: string;
  slug: string;
  description?: string;
  groups: string[];
}

/** /facilitate/new: creates the consultation (draft) and lands on its overview. */
export async function createConsultation(page: Page, c: NewConsultation): Promise<void> {
  await visit(page, "/facilitate/new");
  await page.getByLabel("Title").fill(c.title);
  await page.getByLabel("Web address").fill(c.slug);
  await page.getByLabel("Description").fill(c.description ?? `What should change? A consultation titled ${c.title}.`);
  await page.getByLabel("Stakeholder groups").fill(c.groups.join("\n"));
  await page.getByRole("button", { name: "Create consultation" }).click();
  await expect(page).toHaveURL(new RegExp(`/facilitate/${escapeRegExp(c.slug)}$`));
  await expect(page.getByRole("heading", { level: 1, name: c.title })).toBeVisible();
}

/** /facilitate/<slug>/questions: adds a question (draft only). */
export async function addQuestion(page: Page, slug: string, title: string): Promise<void> {
  await visit(page, `/facilitate/${slug}/questions`);
  const add = page.getByRole("region", { name: "Add a question" });
  await add.getByLabel("Question", { exact: true }).fill(title);
  await add.getByRole("button", { name: "Add question" }).click();
  await expect(add.getByRole("status")).toContainText("The question was added.");
  await expect(page.getByRole("heading", { level: 3, name: title })).toBeVisible();
}

export interface Slip {
  code: string;
  link: string;
  groupName: string;
}

/**
 * /facilitate/<slug>/invitations: creates `count` invitations for one group and reads the codes and
 * links from the list printed once in the action's response.
 */
export async function createInvitations(page: Page, slug: string, groupName: string, count: number): Promise<Slip[]> {
  await visit(page, `/facilitate/${slug}/invitations`);
  const form = page.getByRole("region", { name: "Create invitations" });
  await form.getByLabel("Stakeholder group").selectOption({ label: groupName });
  await form.getByLabel("How many").fill(String(count));
  await form.getByRole("button", { name: "Create invitations" }).click();
  const slips = page.getByRole("region", { name: /New invitation codes/ });
  await expect(slips).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Codes are shown only once" })).toBeVisible();
  const rows = slips.locator("tbody tr");
  await expect(rows).toHaveCount(count);
  const out: Slip[] = [];
  for (let i = 0; i < count; i++) {
    const cells = rows.nth(i).locator("td");
    await expect(cells.nth(0)).toContainText(groupName);
    const code = (await cells.nth(1).innerText()).trim();
    const link = (await cells.nth(2).innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
    expect(link).toMatch(new RegExp(`/join/${escapeRegExp(code)}$`));
    out.push({ code, link, groupName });
  }
  return out;
}

/** The overview's phase button: "Move on to <Phase>". */
export async function movePhase(page: Page, slug: string, to: "Positions" | "Deliberation" | "Synthesis"): Promise<void> {
  await visit(page, `/facilitate/${slug}`);
  const phase = page.getByRole("region", { name: "Phase" });
  await phase.getByRole("button", { name: `Move on to ${to}` }).click();
  await expect(phase.getByRole("status")).toContainText(`The consultation is now in the ${to} phase.`);
}

/**
 * A new facilitator's consultation, open for positions: the groups `invitations` names (in that order),
 * one question, and that many invitations for each group. The title is `${title} ${slug}`.
 */
export async function consultationOpenForPositions(
  browser: Browser,
  c: { facilitator: string; slugPrefix: string; title: string; question: string; invitations: Record<string, number> },
): Promise<{ fac: Facilitator; slug: string; slips: Record<string, Slip[]> }> {
  const fac = await signUpFacilitator(browser, c.facilitator);
  const slug = uniqueSlug(c.slugPrefix);
  const groups = Object.keys(c.invitations);
  await createConsultation(fac.page, { title: `${c.title} ${slug}`, slug, groups });
  await addQuestion(fac.page, slug, c.question);
  const slips: Record<string, Slip[]> = {};
  for (const group of groups) slips[group] = await createInvitations(fac.page, slug, group, c.invitations[group]!);
  await movePhase(fac.page, slug, "Positions");
  return { fac, slug, slips };
}

// ---- participants ----------------------------------------------------------------------------

export interface Participant extends Person {
  pseudonym: string;
  groupName: string;
  recoveryCode: string;
  slug: string;
}

/**
 * Opens an invitation link in a new context and joins (with a chosen pseudonym, or the app's);
 * reads the recovery code shown once, then continues to the consultation page.
 */
export async function joinWithLink(
  browser: Browser,
  slip: Slip,
  slug: string,
  options: { pseudonym?: string; passphrase?: string; javaScriptEnabled?: boolean } = {},
): Promise<Participant> {
  const person = await newPerson(browser, { javaScriptEnabled: options.javaScriptEnabled });
  const { page } = person;
  await visit(page, slip.link);
  await expect(page.getByRole("heading", { level: 1, name: /^Join / })).toBeVisible();
  await expect(page.getByText(slip.groupName, { exact: true })).toBeVisible();
  if (options.pseudonym) await page.getByLabel("Made-up name (optional)").fill(options.pseudonym);
  if (options.passphrase) await page.getByLabel("Passphrase (optional)").fill(options.passphrase);
  await page.getByRole("button", { name: "Join the consultation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Write this down" })).toBeVisible();

  const youAre = page.getByText(/^You are in\. You take part as/);
  await expect(youAre).toContainText(`(${slip.groupName})`);
  const pseudonym = (await youAre.locator("strong").innerText()).trim();
  if (options.pseudonym) expect(pseudonym).toBe(options.pseudonym);
  else expect(pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/); // "Swift Fox 42"

  const recovery = page.getByRole("region", { name: "Your recovery code" });
  const recoveryCode = (await recovery.locator(".recovery-code").innerText()).trim();
  expect(recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);

  await page.getByRole("link", { name: "Continue to the consultation" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${escapeRegExp(slug)}$`));
  await expect(page.getByText(/^You take part as/)).toContainText(pseudonym);
  return { ...person, pseudonym, groupName: slip.groupName, recoveryCode, slug };
}

/** /c/<slug>, then the question's link. */
export async function openQuestion(page: Page, slug: string, questionTitle: string): Promise<void> {
  await visit(page, `/c/${slug}`);
  await page.getByRole("link", { name: questionTitle, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: questionTitle })).toBeVisible();
}

/** The card (article) of one position in a list, found by a piece of its text. */
export function positionCard(page: Page, text: string): Locator {
  return page.locator("article.position").filter({ hasText: text });
}

/** The vote buttons of a card or page section. */
export function voteButton(scope: Page | Locator, choice: "Agree" | "Disagree" | "Pass"): Locator {
  return scope.getByRole("group", { name: "Your vote on this position" }).getByRole("button", { name: choice, exact: true });
}

/**
 * On the question page: types a position, optionally previews it, posts it, and returns its id (from
 * the card's `p-<id>` anchor).
 */
export async function postPosition(page: Page, body: string, options: { preview?: (preview: Locator) => Promise<void> } = {}): Promise<string> {
  const post = page.getByRole("region", { name: "Post a position" });
  await post.getByLabel("Your position").fill(body);
  if (options.preview) {
    await post.getByRole("button", { name: "Preview" }).click();
    const preview = post.getByRole("region", { name: "Preview" });
    await expect(preview).toBeVisible();
    await options.preview(preview);
  }
  await post.getByRole("button", { name: "Post position" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your position is posted." })).toBeVisible();
  await expect(post.getByLabel("Your position")).toHaveValue("");
  const firstLine = body.split("\n")[0].replace(/[*_`<>]/g, "").slice(0, 30).trim();
  const card = page.getByRole("region", { name: /^Positions/ }).locator("article.position").filter({ hasText: firstLine });
  await expect(card).toHaveCount(1);
  const id = (await card.getAttribute("id")) ?? "";
  expect(id).toMatch(/^p-[0-9a-f-]{36}$/);
  return id.slice(2);
}

/** A consultation's position page path. */
export function positionPath(slug: string, positionId: string): string {
  return `/c/${slug}/p/${positionId}`;
}

// ---- privacy ---------------------------------------------------------------------------------

/** The forms a shown code can take: as printed (groups of four), and without dashes. */
function codeForms(code: string): string[] {
  return [code, code.replace(/-/g, "")];
}

/**
 * The page's HTML (server-rendered markup and the hydration data alike) contains none of the given
 * secrets: emails, other participants' recovery codes, and the like.
 */
export async function expectNoLeak(page: Page, secrets: { emails?: string[]; codes?: string[]; other?: string[] }): Promise<void> {
  const html = await page.content();
  const where = page.url();
  for (const email of secrets.emails ?? []) {
    expect(html.toLowerCase().includes(email.toLowerCase()), `${where} shows the email ${email}`).toBe(false);
  }
  for (const code of secrets.codes ?? []) {
    for (const form of codeForms(code)) expect(html.includes(form), `${where} shows the code ${code}`).toBe(false);
  }
  for (const text of secrets.other ?? []) expect(html.includes(text), `${where} shows ${text}`).toBe(false);
}
