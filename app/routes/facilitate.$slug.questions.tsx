import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import {
  facilitatorAction,
  facilitatorLoader,
  structureEditing,
  structureHandlers,
} from "../components/facilitator/facilitator.server";
import {
  AddItemSection,
  EditItemForm,
  ReadOnlyNote,
  RemoveItemForm,
  type ItemField,
} from "../components/facilitator/item-forms";
import { formKey, PageNotice, type FormResult } from "../components/facilitator/results";
import { Markdown } from "../components/markdown";
import { consultations, renderMarkdown } from "../domain.server";
import { LIMITS } from "../components/facilitator/rules.server";

/** Markdown context up to 10,000 characters: non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 128 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    return {
      ...structureEditing(setup.consultation.phase),
      limits: { titleMax: LIMITS.questionTitleMax, contextMax: LIMITS.questionContextMax },
      questions: setup.questions.map((q) => ({
        id: q.id,
        title: q.title,
        context: q.context,
        contextHtml: q.context ? renderMarkdown(q.context) : "",
        positionCount: q.positionCount,
      })),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(
    request,
    params,
    structureHandlers("question", {
      add: consultations.addQuestion,
      update: consultations.updateQuestion,
      remove: consultations.removeQuestion,
    }),
    { maxBytes: MAX_FORM_BYTES }
  );
}

/** The question's fields, with the context's hint. */
function questionFields(limits: { titleMax: number; contextMax: number }, contextHint: string): ItemField[] {
  return [
    { label: "Question", name: "title", required: true, maxLength: limits.titleMax },
    { label: "Context (optional)", name: "context", rows: 5, hint: contextHint, maxLength: limits.contextMax },
  ];
}

export default function Questions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
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
      {!data.editable ? <ReadOnlyNote reason={data.readOnlyReason} things="questions" /> : null}

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
        <AddItemSection
          intent="add-question"
          title="Add a question"
          fields={questionFields(data.limits, "Background participants need to answer. You can use Markdown.")}
          result={result}
        >
          Add question
        </AddItemSection>
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
  const hidden = <span className="visually-hidden">: {question.title}</span>;
  return (
    <>
      <EditItemForm
        intent="update-question"
        id={question.id}
        summary={<>Edit this question{hidden}</>}
        fields={questionFields(limits, "You can use Markdown.")}
        initial={{ title: question.title, context: question.context }}
        result={result}
      >
        Save question
      </EditItemForm>
      <RemoveItemForm
        intent="remove-question"
        id={question.id}
        confirmLabel={<>Yes, remove this question{hidden}</>}
        button={<>Remove question{hidden}</>}
        result={result}
      >
        {question.positionCount > 0 ? (
          <p className="small">
            <strong>Warning:</strong> this question has{" "}
            {question.positionCount === 1 ? "1 position" : `${question.positionCount} positions`}. Removing the question
            deletes them, with their votes and comments.
          </p>
        ) : null}
      </RemoveItemForm>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
