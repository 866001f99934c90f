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
import { consultations } from "../domain.server";
import { LIMITS } from "../components/facilitator/rules.server";

const DESCRIPTION_MAX = 300;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    return {
      ...structureEditing(setup.consultation.phase),
      limits: { nameMax: LIMITS.groupNameMax, groupsMax: LIMITS.groupsMax },
      groups: setup.groups.map((g) => ({
        id: g.id,
        name: g.name,
        description: g.description,
        hasParticipants: g.hasParticipants,
      })),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(
    request,
    params,
    structureHandlers("group", {
      add: consultations.addGroup,
      update: consultations.updateGroup,
      remove: consultations.removeGroup,
    })
  );
}

/** The group's fields; `hint` only on the add form. */
function groupFields(nameMax: number, hint?: string): ItemField[] {
  return [
    { label: "Group name", name: "name", required: true, maxLength: nameMax },
    { label: "Description (optional)", name: "description", rows: 2, hint, maxLength: DESCRIPTION_MAX },
  ];
}

export default function Groups() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
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
      {!data.editable ? <ReadOnlyNote reason={data.readOnlyReason} things="groups" /> : null}

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
        <AddItemSection
          intent="add-group"
          title="Add a group"
          fields={groupFields(data.limits.nameMax, "Who belongs to this group, in a sentence.")}
          result={result}
        >
          Add group
        </AddItemSection>
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
  const hidden = <span className="visually-hidden">: {group.name}</span>;
  return (
    <>
      <EditItemForm
        intent="update-group"
        id={group.id}
        summary={<>Rename or describe{hidden}</>}
        fields={groupFields(nameMax)}
        initial={{ name: group.name, description: group.description }}
        result={result}
      >
        Save group
      </EditItemForm>
      {group.hasParticipants ? (
        <p className="small muted">People have joined this group, so it cannot be removed.</p>
      ) : (
        <RemoveItemForm
          intent="remove-group"
          id={group.id}
          confirmLabel={<>Yes, remove this group{hidden}</>}
          button={<>Remove group{hidden}</>}
          result={result}
        />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
