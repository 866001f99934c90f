/**
 * /c/<slug>/proxy: an outreach worker (a participant of a group the facilitators marked "outreach") enters a
 * position for a peer who is not online, with the peer's consent: under the peer's pseudonym (with the
 * one-time consent code the peer made at /c/<slug>/consent) or under a new pseudonym in a group they choose
 * (its recovery code is shown once, to give to the peer). The domain (consultations/proxy.ts) refuses
 * everyone else: other participants and facilitators 403, outsiders 404. Works without JavaScript.
 */
import { LanguageSelect, WritingLanguages } from "../components/participant/language-select";
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionFailure } from "../action-result";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader, type ParticipantActionContext } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { proxy } from "../domain.server";
import { actionError, withoutSecrets } from "../http.server";
import { metaT, useFormat, useMessage } from "../i18n";
import participantStyles from "../styles/participant.css";

/** Codes are shown on these pages once: no cache may keep them (the answer to the post carries them). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${metaT(matches)("participant.proxy.title")} · ${data ? `${data.consultation.title} · ` : ""}Polyphony` },
];

/** Positions can be long Markdown in any script: allow more than the default form size. */
const MAX_FORM_BYTES = 256 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, ({ db, viewer, key }) => proxy.proxyForm(db, viewer, key));
}

interface Entered {
  ok: true;
  intent: string;
  entered: { positionId: string; pseudonym: string; groupName: string; recoveryCode: string | null };
}

async function enter(peer: "existing" | "new", { db, viewer, key, form }: ParticipantActionContext) {
  let entry;
  try {
    entry = await proxy.enterPositionForPeer(db, viewer, key, { ...form, peer });
  } catch (error) {
    // The consent code is a secret: the refilled form never carries it back.
    return actionError(error, withoutSecrets(form, "consentCode"));
  }
  const result: Entered = {
    ok: true,
    intent: form.intent,
    entered: { positionId: entry.positionId, pseudonym: entry.pseudonym, groupName: entry.groupName, recoveryCode: entry.recoveryCode },
  };
  // The recovery code is on this answer only: never cached.
  return data(result, { status: 200, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await participantAction(
    request,
    params,
    {
      "enter-existing": (ctx) => enter("existing", ctx),
      "enter-new": (ctx) => enter("new", ctx),
    },
    { maxBytes: MAX_FORM_BYTES },
  );
  return result;
}

type ProxyResult = Entered | ActionFailure;

export default function ProxyEntry() {
  const form = useLoaderData<typeof loader>();
  const raw = useActionData<typeof action>() as unknown as ProxyResult | undefined;
  const slug = form.consultation.slug;

  if (raw?.ok) return <EnteredPage slug={slug} entered={raw.entered} />;

  const failed = raw && !raw.ok ? raw : null;
  // The consent code is a secret: it is never sent back to refill the form.
  const values = failed ? withoutSecretsClient(failed.values ?? {}) : {};
  const failedExisting = values.intent === "enter-existing" ? failed : null;
  const failedNew = values.intent === "enter-new" ? failed : null;
  const other = failed && !failedExisting && !failedNew ? failed : null;
  const { t } = useTranslation();
  const m = useMessage();

  return (
    <div className="container stack">
      <p className="small">
        <Link to={paths.consultation(slug)}>{t("participant.proxy.back", { title: form.consultation.title })}</Link>
      </p>
      <h1>{t("participant.proxy.title")}</h1>
      <p>
        <Trans
          i18nKey="participant.proxy.intro"
          values={{ pseudonym: form.me.pseudonym }}
          components={{ name: <strong />, b: <strong />, mark: <em /> }}
        />
      </p>
      <FormErrors result={other} />
      {!form.open ? (
        <p className="notice">{form.closedReason ? m(form.closedReason) : null}</p>
      ) : form.questions.length === 0 ? (
        <p className="muted">{t("participant.proxy.noQuestions")}</p>
      ) : (
        <WritingLanguages languages={form.consultation.languages}>
          <section className="card stack" aria-labelledby="existing-title">
            <h2 id="existing-title">{t("participant.proxy.existingTitle")}</h2>
            <p className="small">
              <Trans i18nKey="participant.proxy.existingText" components={{ b: <strong /> }} />
            </p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="enter-existing" />
              <FormErrors result={failedExisting} />
              <Field
                label={t("participant.proxy.consentCode")}
                name="consentCode"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={64}
                errors={failedExisting?.fieldErrors.consentCode}
              />
              <QuestionAndBody
                questions={form.questions}
                max={form.consultation.maxPositionLength}
                values={failedExisting ? values : {}}
                errors={failedExisting?.fieldErrors ?? {}}
                idPrefix="existing"
              />
              <ConsentBox errors={failedExisting?.fieldErrors.consented} id="consented-existing" />
              <SubmitButton name="intent" value="enter-existing" pendingText={t("participant.proxy.entering")}>
                {t("participant.proxy.enterExisting")}
              </SubmitButton>
            </Form>
          </section>

          <section className="card stack" aria-labelledby="new-title">
            <h2 id="new-title">{t("participant.proxy.newTitle")}</h2>
            <p className="small">{t("participant.proxy.newText")}</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="enter-new" />
              <FormErrors result={failedNew} />
              <div className="field">
                <label htmlFor="proxy-group">{t("participant.proxy.group")}</label>
                <select id="proxy-group" name="groupId" defaultValue={failedNew ? values.groupId ?? "" : ""} aria-invalid={failedNew?.fieldErrors.groupId ? true : undefined}>
                  <option value="">{t("participant.proxy.chooseGroup")}</option>
                  {form.groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
                {failedNew?.fieldErrors.groupId ? <p className="field-error">{failedNew.fieldErrors.groupId.map(m).join(" ")}</p> : null}
              </div>
              <Field
                label={t("participant.proxy.pseudonym")}
                name="pseudonym"
                autoComplete="off"
                spellCheck={false}
                defaultValue={failedNew ? values.pseudonym ?? "" : ""}
                errors={failedNew?.fieldErrors.pseudonym}
                hint={t("participant.proxy.pseudonymHint")}
              />
              <QuestionAndBody
                questions={form.questions}
                max={form.consultation.maxPositionLength}
                values={failedNew ? values : {}}
                errors={failedNew?.fieldErrors ?? {}}
                idPrefix="new"
              />
              <ConsentBox errors={failedNew?.fieldErrors.consented} id="consented-new" />
              <SubmitButton name="intent" value="enter-new" pendingText={t("participant.proxy.entering")}>
                {t("participant.proxy.enterNew")}
              </SubmitButton>
            </Form>
          </section>
        </WritingLanguages>
      )}
    </div>
  );
}

/** Browser-side copy of `withoutSecrets` (that helper is server-only): drops the consent code. */
function withoutSecretsClient(values: Record<string, string>): Record<string, string> {
  const { consentCode: _dropped, ...rest } = values;
  return rest;
}

function QuestionAndBody({
  questions,
  max,
  values,
  errors,
  idPrefix,
}: {
  questions: Array<{ id: string; title: string }>;
  max: number;
  values: Record<string, string>;
  errors: Record<string, string[]>;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const m = useMessage();
  const format = useFormat();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-question`}>{t("participant.proxy.question")}</label>
        <select id={`${idPrefix}-question`} name="questionId" defaultValue={values.questionId ?? questions[0]?.id} aria-invalid={errors.questionId ? true : undefined}>
          {questions.map((q) => (
            <option key={q.id} value={q.id}>
              {q.title}
            </option>
          ))}
        </select>
        {errors.questionId ? <p className="field-error">{errors.questionId.map(m).join(" ")}</p> : null}
      </div>
      <Field
        multiline
        label={t("participant.proxy.body")}
        name="body"
        rows={5}
        maxLength={max}
        defaultValue={values.body ?? ""}
        errors={errors.body}
        hint={t("participant.proxy.bodyHint", { max: format.number(max) })}
      />
      <LanguageSelect label={t("languages.write.peerLabel")} defaultValue={values.language} errors={errors.language} />
    </>
  );
}

function ConsentBox({ errors, id }: { errors?: string[]; id: string }) {
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <div className={`field${errors?.length ? " field-invalid" : ""}`}>
      <label htmlFor={id}>
        <input id={id} type="checkbox" name="consented" value="on" aria-invalid={errors?.length ? true : undefined} />{" "}
        {t("participant.proxy.consented")}
      </label>
      {errors?.length ? <p className="field-error">{errors.map(m).join(" ")}</p> : null}
    </div>
  );
}

function EnteredPage({ slug, entered }: { slug: string; entered: Entered["entered"] }) {
  const { t } = useTranslation();
  return (
    <div className="container stack">
      <h1>{entered.recoveryCode ? t("participant.proxy.giveThis") : t("participant.proxy.entered")}</h1>
      <p>
        <Trans
          i18nKey="participant.proxy.enteredFor"
          values={{ pseudonym: entered.pseudonym, group: entered.groupName }}
          components={{ name: <strong /> }}
        />
      </p>
      {entered.recoveryCode ? (
        <section className="card stack" aria-labelledby="recovery-title">
          <h2 id="recovery-title">{t("participant.proxy.recoveryTitle")}</h2>
          <p className="recovery-code">{entered.recoveryCode}</p>
          <p>
            <Trans i18nKey="participant.proxy.recoveryText" components={{ b: <strong /> }} />
          </p>
        </section>
      ) : null}
      <p>
        <Link to={paths.position(slug, entered.positionId)} className="button">
          {t("participant.proxy.seePosition")}
        </Link>{" "}
        <Link to={`/c/${encodeURIComponent(slug)}/proxy`}>{t("participant.proxy.another")}</Link>
      </p>
    </div>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
