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
import { getDb } from "../db.server";
import { consultations, DomainError } from "../domain.server";
import { actionError, actionFailure, formObject, loaderError } from "../http.server";
import { LIMITS, phaseRefusal } from "../components/facilitator/rules.server";
import { requireFacilitator } from "../session.server";

const REMOVE_CONFIRM = "Tick the box to confirm removing this group.";
const DESCRIPTION_MAX = 300;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { info } = await requireFacilitator(request);
  try {
    const setup = await consultations.getSetup(await getDb(), info.viewer, { slug: params.slug ?? "" });
    return {
      editable: setup.consultation.phase === "draft",
      readOnlyReason: phaseRefusal(setup.consultation.phase, "editStructure"),
      limits: { nameMax: LIMITS.groupNameMax, groupsMax: LIMITS.groupsMax },
      groups: setup.groups.map((g) => ({
        id: g.id,
        name: g.name,
        description: g.description,
        hasParticipants: g.hasParticipants,
      })),
    };
  } catch (error) {
    return loaderError(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { info } = await requireFacilitator(request);
  const form = await formObject(request);
  const db = await getDb();
  const key = { slug: params.slug ?? "" };
  try {
    switch (form.intent) {
      case "add-group":
        await consultations.addGroup(db, info.viewer, key, form);
        return done("The group was added.", "add-group");
      case "update-group":
        await consultations.updateGroup(db, info.viewer, key, form.id ?? "", form);
        return done("The group was saved.", "update-group", form.id);
      case "remove-group":
        if (form.confirm !== "yes")
          throw new DomainError("invalid", "Please confirm first.", { confirm: [REMOVE_CONFIRM] });
        await consultations.removeGroup(db, info.viewer, key, form.id ?? "");
        return done("The group was removed.", "remove-group", form.id);
      default:
        return actionFailure("Unknown action.", 400);
    }
  } catch (error) {
    return actionError(error, form);
  }
}

export default function Groups() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const addRef = useResetOnSuccess(result, "add-group");
  const addFailed = failureFor(result, "add-group");
  const av = addFailed?.values ?? {};
  const forms = data.editable
    ? [
        ...(data.groups.length < data.limits.groupsMax ? [formKey("add-group")] : []),
        ...data.groups.flatMap((g) => [
          formKey("update-group", g.id),
          ...(g.hasParticipants ? [] : [formKey("remove-group", g.id)]),
        ]),
      ]
    : [];

  return (
    <div className="stack">
      <h2>Stakeholder groups</h2>
      <PageNotice result={result} forms={forms} />
      <p>
        Each participant belongs to one group, set by their invitation. Results are shown per group, and never for fewer
        than the minimum number of people.
      </p>
      {!data.editable ? (
        <div className="notice" role="note">
          <p>{data.readOnlyReason} The groups below are read-only.</p>
        </div>
      ) : null}

      <ul className="item-list stack">
        {data.groups.map((g) => (
          <li key={g.id} className="card stack">
            <h3>{g.name}</h3>
            {g.description ? <p>{g.description}</p> : <p className="muted small">No description.</p>}
            {data.editable ? <GroupForms group={g} result={result} nameMax={data.limits.nameMax} /> : null}
          </li>
        ))}
      </ul>

      {data.editable && data.groups.length < data.limits.groupsMax ? (
        <section className="card stack" aria-labelledby="add-group-title" id={formAnchor("add-group")}>
          <h2 id="add-group-title">Add a group</h2>
          <Form method="post" noValidate preventScrollReset ref={addRef}>
            <FormMeta intent="add-group" />
            <FormNotice result={result} intent="add-group" />
            <Field
              label="Group name"
              name="name"
              required
              maxLength={data.limits.nameMax}
              defaultValue={av.name ?? ""}
              errors={addFailed?.fieldErrors.name}
            />
            <Field
              label="Description (optional)"
              name="description"
              multiline
              rows={2}
              hint="Who belongs to this group, in a sentence."
              maxLength={DESCRIPTION_MAX}
              defaultValue={av.description ?? ""}
              errors={addFailed?.fieldErrors.description}
            />
            <ActionButton intent="add-group" pendingText="Adding…">
              Add group
            </ActionButton>
          </Form>
        </section>
      ) : data.editable ? (
        <p className="muted">A consultation can have at most {data.limits.groupsMax} groups.</p>
      ) : null}
    </div>
  );
}

function GroupForms({
  group,
  result,
  nameMax,
}: {
  group: { id: string; name: string; description: string; hasParticipants: boolean };
  result: FormResult | undefined;
  nameMax: number;
}) {
  const editFailed = failureFor(result, "update-group", group.id);
  const removeFailed = failureFor(result, "remove-group", group.id);
  const ev = editFailed?.values ?? {};
  const hidden = <span className="visually-hidden">: {group.name}</span>;
  return (
    <>
      <details open={!!editFailed || undefined}>
        <summary>Rename or describe{hidden}</summary>
        <Form method="post" noValidate preventScrollReset id={formAnchor("update-group", group.id)}>
          <FormMeta intent="update-group" id={group.id} />
          <FormNotice result={result} intent="update-group" id={group.id} />
          <Field
            label="Group name"
            name="name"
            required
            maxLength={nameMax}
            defaultValue={ev.name ?? group.name}
            errors={editFailed?.fieldErrors.name}
          />
          <Field
            label="Description (optional)"
            name="description"
            multiline
            rows={2}
            maxLength={DESCRIPTION_MAX}
            defaultValue={ev.description ?? group.description}
            errors={editFailed?.fieldErrors.description}
          />
          <ActionButton intent="update-group" id={group.id} pendingText="Saving…">
            Save group
          </ActionButton>
        </Form>
      </details>
      {group.hasParticipants ? (
        <p className="small muted">People have joined this group, so it cannot be removed.</p>
      ) : (
        <Form
          method="post"
          noValidate
          preventScrollReset
          className="remove-form"
          id={formAnchor("remove-group", group.id)}
        >
          <FormMeta intent="remove-group" id={group.id} />
          <FormNotice result={result} intent="remove-group" id={group.id} />
          <ConfirmBox label={<>Yes, remove this group{hidden}</>} errors={removeFailed?.fieldErrors.confirm} />
          <ActionButton
            intent="remove-group"
            id={group.id}
            className="button button-danger button-small"
            pendingText="Removing…"
          >
            Remove group{hidden}
          </ActionButton>
        </Form>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
