import { LanguageSelect, WritingLanguages } from "../components/participant/language-select";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionFailure } from "../action-result";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { PageNotice } from "../components/participant/item-forms";
import { CONTROL_CHARACTERS, LIMITS, paths } from "../components/participant/labels";
import {
  consultationKey,
  participantAction,
  participantLoader,
  phaseRefusal,
  vote,
  withdrawPosition,
} from "../components/participant/participant.server";
import { PositionCard } from "../components/participant/position-card";
import type { ParticipantResult } from "../components/participant/results";
import { failureFor, successFor } from "../components/participant/results";
import { SortForm } from "../components/participant/sort-form";
import { PositionTextarea } from "../components/participant/text-counter";
import { useResetOnSuccess } from "../components/participant/use-reset-on-success";
import { consultations, positions, renderMarkdown } from "../domain.server";
import { metaT, useMessage } from "../i18n";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? `${data.question.title} · ${data.consultation.title} · Polyphony` : `${metaT(matches)("participant.question.metaTitle")} · Polyphony` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const [view, listed] = await Promise.all([
      consultations.getConsultation(db, viewer, key),
      positions.listQuestionPositions(db, viewer, key, params.questionId ?? "", url.searchParams.get("sort")),
    ]);
    const c = view.consultation;
    return {
      role: view.role,
      me: view.me,
      consultation: { slug: c.slug, title: c.title, maxPositionLength: c.maxPositionLength, eventSeq: c.eventSeq, languages: c.languages },
      question: listed.question,
      positions: listed.positions,
      sort: listed.sort,
      canSubmit: listed.canSubmit,
      /** Why posting is closed now, for participants. */
      submitClosed: view.role === "participant" && !listed.canSubmit ? phaseRefusal(c.phase, "submitPosition") : null,
      posted: url.searchParams.get("posted") === "1",
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const questionId = params.questionId ?? "";
  const here = paths.question(consultationKey(params).slug, questionId);
  return participantAction(
    request,
    params,
    {
      preview: async ({ db, viewer, key, form }) => {
        // Only people who may read the consultation get a preview (no free Markdown service).
        const view = await consultations.getConsultation(db, viewer, key);
        const body = (form.body ?? "").trim();
        const max = view.consultation.maxPositionLength;
        // A little over the consultation's limit still previews (with how much to cut); past the longest
        // any consultation allows, or with control characters, the text is refused like a post would be.
        const refusal = !body
          ? "Write something first, then press Preview."
          : body.length > LIMITS.positionMaxCeiling
            ? `This has ${body.length} characters: a position can have at most ${max}. Shorten it, then press Preview.`
            : CONTROL_CHARACTERS.test(body)
              ? "Your position contains control characters. Remove them and try again."
              : null;
        if (refusal) {
          const failure: ActionFailure = {
            ok: false,
            message: refusal,
            fieldErrors: { body: [refusal] },
            values: { intent: "preview", body: form.body ?? "", language: form.language ?? "" },
          };
          return data(failure, { status: 422 });
        }
        const result: ParticipantResult = {
          ok: true,
          intent: "preview",
          previewHtml: renderMarkdown(body),
          message:
            body.length > max
              ? `This has ${body.length} characters: ${body.length - max} more than the ${max} allowed. Shorten it before you post.`
              : `${body.length} of ${max} characters.`,
          values: { body: form.body ?? "", language: form.language ?? "" },
        };
        return result;
      },
      submit: async ({ db, viewer, key, form }) => {
        const created = await positions.submitPosition(db, viewer, key, questionId, { body: form.body, language: form.language });
        return redirect(`${here}?posted=1#p-${created.id}`);
      },
      vote: (ctx) => vote(ctx, here),
      withdraw: (ctx) => withdrawPosition(ctx, here),
    },
    // Long positions in non-Latin scripts grow up to 9x when url-encoded.
    { maxBytes: 256 * 1024 }
  );
}

export default function QuestionPage() {
  const { role, me, consultation, question, positions: list, sort, canSubmit, submitClosed, posted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ParticipantResult | undefined;
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const slug = consultation.slug;
  const visible = list.filter((p) => p.status === "visible").length;
  const { t } = useTranslation();
  const m = useMessage();

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq}>
      <div className="container stack">
        <header className="stack">
          <ConsultationCrumbs slug={slug} title={consultation.title} />
          <h1>{question.title}</h1>
          <Identity me={me} role={role} />
          <LiveStatus />
        </header>
        {question.contextHtml ? <Markdown html={question.contextHtml} /> : null}

        <PageNotice
          result={result && !(failureFor(result, "preview") || failureFor(result, "submit")) ? result : null}
          anchorFor={(r) => (!r.ok && r.values?.positionId ? `p-${r.values.positionId}` : !r.ok && r.values?.id ? `p-${r.values.id}` : null)}
        />

        {posted ? (
          <div className="notice notice-success" role="status">
            <p>
              <Trans i18nKey="participant.question.posted" components={{ link: <a href="#positions" /> }} />
            </p>
          </div>
        ) : null}

        {canSubmit ? (
          <WritingLanguages languages={consultation.languages}>
            <PostPositionForm max={consultation.maxPositionLength} result={result} />
          </WritingLanguages>
        ) : submitClosed ? (
          <p className="notice">{m(submitClosed)}</p>
        ) : null}

        <section id="positions" aria-labelledby="positions-title" className="stack">
          <h2 id="positions-title">{t("participant.question.positions", { count: visible })}</h2>
          {list.length ? (
            <>
              <SortForm action={paths.question(slug, question.id)} sort={sort} />
              {role === "participant" && list.some((p) => p.canVote && !p.myVote) ? (
                <p>
                  <Link to={paths.next(slug, question.id)}>{t("participant.question.oneAtATime")}</Link>
                </p>
              ) : null}
              <ul className="positions">
                {list.map((p) => (
                  <li key={p.id}>
                    <PositionCard slug={slug} position={p} voting ownerActions returnTo={here} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">{canSubmit ? t("participant.question.noneBeFirst") : t("participant.question.none")}</p>
          )}
        </section>
        <p>
          <Link to={paths.consultation(slug)}>{t("participant.question.back")}</Link>
        </p>
      </div>
    </LiveConsultation>
  );
}

function PostPositionForm({ max, result }: { max: number; result: ParticipantResult | undefined }) {
  const navigation = useNavigation();
  const ref = useResetOnSuccess((data) => data.get("intent") === "submit");
  const preview = successFor(result, "preview");
  const failed = failureFor(result, "submit") ?? failureFor(result, "preview");
  const text = preview?.values?.body ?? failed?.values?.body ?? "";
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent");
  const { t } = useTranslation();
  const m = useMessage();

  return (
    <section id="post" aria-labelledby="post-title" className="card stack">
      <h2 id="post-title">{t("participant.question.postTitle")}</h2>
      <p className="small muted">{t("participant.question.postIntro")}</p>
      {preview?.previewHtml ? (
        <section aria-labelledby="preview-title" className="preview card stack">
          <h3 id="preview-title">{t("participant.question.preview")}</h3>
          <Markdown html={preview.previewHtml} />
          {preview.message ? <p className="small muted">{m(preview.message)}</p> : null}
        </section>
      ) : null}
      <Form method="post" className="stack" preventScrollReset ref={ref} noValidate>
        <PositionTextarea
          id="position-body"
          max={max}
          defaultValue={text}
          failed={failed}
          hint={t("participant.question.markdownHint")}
        />
        <LanguageSelect defaultValue={preview?.values?.language ?? failed?.values?.language} errors={failed?.fieldErrors.language} />
        <div className="button-row">
          <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy === "preview"}>
            {busy === "preview" ? t("participant.question.previewing") : t("participant.question.preview")}
          </button>
          <button type="submit" name="intent" value="submit" className="button" disabled={busy === "submit"}>
            {busy === "submit" ? t("participant.question.posting") : t("participant.question.post")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
