import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "../i18n-react";
import { useFormat } from "../i18n";
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
function questionFields(t: TFunction, limits: { titleMax: number; contextMax: number }, contextHint: string): ItemField[] {
  return [
    { label: t("facilitator.questions.question"), name: "title", required: true, maxLength: limits.titleMax },
    { label: t("facilitator.questions.context"), name: "context", rows: 5, hint: contextHint, maxLength: limits.contextMax },
  ];
}

export default function Questions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const { t } = useTranslation();
  const f = useFormat();
  const forms = data.editable
    ? [
        formKey("add-question"),
        ...data.questions.flatMap((q) => [formKey("update-question", q.id), formKey("remove-question", q.id)]),
      ]
    : [];

  return (
    <div className="stack">
      <h2>{t("facilitator.questions.title")}</h2>
      <PageNotice result={result} forms={forms} />
      <p>{t("facilitator.questions.intro")}</p>
      {!data.editable ? <ReadOnlyNote reason={data.readOnlyReason} things="questions" /> : null}

      {data.questions.length === 0 ? (
        <p className="muted">{t("facilitator.questions.none")}</p>
      ) : (
        <ol className="item-list stack">
          {data.questions.map((q, i) => (
            <li key={q.id} className="card stack">
              <h3>
                <span className="visually-hidden">{t("facilitator.questions.number", { n: f.number(i + 1) })} </span>
                {q.title}
              </h3>
              <p className="small muted">{t("facilitator.questions.positions", { count: q.positionCount, n: f.number(q.positionCount) })}</p>
              {q.contextHtml ? <Markdown html={q.contextHtml} className="context-preview" /> : null}
              {data.editable ? <QuestionForms question={q} result={result} limits={data.limits} /> : null}
            </li>
          ))}
        </ol>
      )}

      {data.editable ? (
        <AddItemSection
          intent="add-question"
          title={t("facilitator.questions.addTitle")}
          fields={questionFields(t, data.limits, t("facilitator.questions.contextHintAdd"))}
          result={result}
        >
          {t("facilitator.questions.add")}
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
  const { t } = useTranslation();
  const f = useFormat();
  const hidden = <span className="visually-hidden">: {question.title}</span>;
  return (
    <>
      <EditItemForm
        intent="update-question"
        id={question.id}
        summary={<>{t("facilitator.questions.edit")}{hidden}</>}
        fields={questionFields(t, limits, t("facilitator.questions.contextHint"))}
        initial={{ title: question.title, context: question.context }}
        result={result}
      >
        {t("facilitator.questions.save")}
      </EditItemForm>
      <RemoveItemForm
        intent="remove-question"
        id={question.id}
        confirmLabel={<>{t("facilitator.questions.confirmRemove")}{hidden}</>}
        button={<>{t("facilitator.questions.remove")}{hidden}</>}
        result={result}
      >
        {question.positionCount > 0 ? (
          <p className="small">
            <strong>{t("facilitator.questions.warning")}</strong>{" "}
            {t("facilitator.questions.removeWarning", { count: question.positionCount, n: f.number(question.positionCount) })}
          </p>
        ) : null}
      </RemoveItemForm>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
