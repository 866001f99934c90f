import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ConfirmBox } from "../components/facilitator/confirm-box";
import {
  ActionButton,
  done,
  failureFor,
  formAnchor,
  formKey,
  FormMeta,
  FormNotice,
  PageNotice,
  useResetOnSuccess,
  type FormResult,
} from "../components/facilitator/results";
import { Field } from "../components/field";
import { Markdown } from "../components/markdown";
import { getDb } from "../db.server";
import { consultations, DomainError, renderMarkdown } from "../domain.server";
import { actionError, actionFailure, formObject, loaderError } from "../http.server";
import { LIMITS, phaseRefusal } from "../components/facilitator/rules.server";
import { requireFacilitator } from "../session.server";

/** Markdown context up to 10,000 characters: non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 128 * 1024;

const REMOVE_CONFIRM = "Tick the box to confirm removing this question.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { info } = await requireFacilitator(request);
  try {
    const setup = await consultations.getSetup(await getDb(), info.viewer, { slug: params.slug ?? "" });
    return {
      editable: setup.consultation.phase === "draft",
      readOnlyReason: phaseRefusal(setup.consultation.phase, "editStructure"),
      limits: { titleMax: LIMITS.questionTitleMax, contextMax: LIMITS.questionContextMax },
      questions: setup.questions.map((q) => ({
        id: q.id,
        title: q.title,
        context: q.context,
        contextHtml: q.context ? renderMarkdown(q.context) : "",
        positionCount: q.positionCount,
      })),
    };
  } catch (error) {
    return loaderError(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { info } = await requireFacilitator(request);
  const form = await formObject(request, { maxBytes: MAX_FORM_BYTES });
  const db = await getDb();
  const key = { slug: params.slug ?? "" };
  try {
    switch (form.intent) {
      case "add-question":
        await consultations.addQuestion(db, info.viewer, key, form);
        return done("The question was added.", "add-question");
      case "update-question":
        await consultations.updateQuestion(db, info.viewer, key, form.id ?? "", form);
        return done("The question was saved.", "update-question", form.id);
      case "remove-question":
        if (form.confirm !== "yes")
          throw new DomainError("invalid", "Please confirm first.", { confirm: [REMOVE_CONFIRM] });
        await consultations.removeQuestion(db, info.viewer, key, form.id ?? "");
        return done("The question was removed.", "remove-question", form.id);
      default:
        return actionFailure("Unknown action.", 400);
    }
  } catch (error) {
    return actionError(error, form);
  }
}

export default function Questions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const addRef = useResetOnSuccess(result, "add-question");
  const addFailed = failureFor(result, "add-question");
  const av = addFailed?.values ?? {};
  const forms = data.editable
    ? [
        formKey("add-question"),
        ...data.questions.flatMap((q) => [formKey("update-question", q.id), formKey("remove-question", q.id)]),
      ]
    : [];

  return (
    <div className="stack">
      <h2>Questions</h2>
      <PageNotice result={result} forms={forms} />
      <p>
        Participants write their positions in answer to these questions. Keep each question short; put background in its
        context.
      </p>
      {!data.editable ? (
        <div className="notice" role="note">
          <p>{data.readOnlyReason} The questions below are read-only.</p>
        </div>
      ) : null}

      {data.questions.length === 0 ? (
        <p className="muted">No questions yet.</p>
      ) : (
        <ol className="item-list stack">
          {data.questions.map((q, i) => (
            <li key={q.id} className="card stack">
              <h3>
                <span className="visually-hidden">Question {i + 1}: </span>
                {q.title}
              </h3>
              <p className="small muted">{q.positionCount === 1 ? "1 position" : `${q.positionCount} positions`}</p>
              {q.contextHtml ? <Markdown html={q.contextHtml} className="context-preview" /> : null}
              {data.editable ? <QuestionForms question={q} result={result} limits={data.limits} /> : null}
            </li>
          ))}
        </ol>
      )}

      {data.editable ? (
        <section className="card stack" aria-labelledby="add-question-title" id={formAnchor("add-question")}>
          <h2 id="add-question-title">Add a question</h2>
          <Form method="post" noValidate preventScrollReset ref={addRef}>
            <FormMeta intent="add-question" />
            <FormNotice result={result} intent="add-question" />
            <Field
              label="Question"
              name="title"
              required
              maxLength={data.limits.titleMax}
              defaultValue={av.title ?? ""}
              errors={addFailed?.fieldErrors.title}
            />
            <Field
              label="Context (optional)"
              name="context"
              multiline
              rows={5}
              hint="Background participants need to answer. You can use Markdown."
              maxLength={data.limits.contextMax}
              defaultValue={av.context ?? ""}
              errors={addFailed?.fieldErrors.context}
            />
            <ActionButton intent="add-question" pendingText="Adding…">
              Add question
            </ActionButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

function QuestionForms({
  question,
  result,
  limits,
}: {
  question: { id: string; title: string; context: string; positionCount: number };
  result: FormResult | undefined;
  limits: { titleMax: number; contextMax: number };
}) {
  const editFailed = failureFor(result, "update-question", question.id);
  const removeFailed = failureFor(result, "remove-question", question.id);
  const ev = editFailed?.values ?? {};
  return (
    <>
      <details open={!!editFailed || undefined}>
        <summary>
          Edit this question<span className="visually-hidden">: {question.title}</span>
        </summary>
        <Form method="post" noValidate preventScrollReset id={formAnchor("update-question", question.id)}>
          <FormMeta intent="update-question" id={question.id} />
          <FormNotice result={result} intent="update-question" id={question.id} />
          <Field
            label="Question"
            name="title"
            required
            maxLength={limits.titleMax}
            defaultValue={ev.title ?? question.title}
            errors={editFailed?.fieldErrors.title}
          />
          <Field
            label="Context (optional)"
            name="context"
            multiline
            rows={5}
            hint="You can use Markdown."
            maxLength={limits.contextMax}
            defaultValue={ev.context ?? question.context}
            errors={editFailed?.fieldErrors.context}
          />
          <ActionButton intent="update-question" id={question.id} pendingText="Saving…">
            Save question
          </ActionButton>
        </Form>
      </details>
      <Form
        method="post"
        noValidate
        preventScrollReset
        className="remove-form"
        id={formAnchor("remove-question", question.id)}
      >
        <FormMeta intent="remove-question" id={question.id} />
        <FormNotice result={result} intent="remove-question" id={question.id} />
        {question.positionCount > 0 ? (
          <p className="small">
            <strong>Warning:</strong> this question has{" "}
            {question.positionCount === 1 ? "1 position" : `${question.positionCount} positions`}. Removing the question
            deletes them, with their votes and comments.
          </p>
        ) : null}
        <ConfirmBox
          label={
            <>
              Yes, remove this question<span className="visually-hidden">: {question.title}</span>
            </>
          }
          errors={removeFailed?.fieldErrors.confirm}
        />
        <ActionButton
          intent="remove-question"
          id={question.id}
          className="button button-danger button-small"
          pendingText="Removing…"
        >
          Remove question<span className="visually-hidden">: {question.title}</span>
        </ActionButton>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
