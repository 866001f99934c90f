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
import { ActionButton, done, FormMeta, FormNotice, formKey, PageNotice, type FormResult } from "../components/facilitator/results";
import { consultations, proxy } from "../domain.server";
import { LIMITS, phaseAllows } from "../components/facilitator/rules.server";
import { Form } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "../i18n-react";
import { useFormat } from "../i18n";

const DESCRIPTION_MAX = 300;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const [setup, outreach] = await Promise.all([consultations.getSetup(db, viewer, key), proxy.outreachOverview(db, viewer, key)]);
    const outreachGroups = new Set(outreach.groups.filter((g) => g.outreach).map((g) => g.id));
    return {
      ...structureEditing(setup.consultation.phase),
      // Marking outreach groups (proxy entry, consultations/proxy.ts) stays open while invitations are.
      outreachEditable: phaseAllows(setup.consultation.phase, "invite"),
      outreachGroups: [...outreachGroups],
      proxyEntries: outreach.entries,
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
    {
      ...structureHandlers("group", {
        add: consultations.addGroup,
        update: consultations.updateGroup,
        remove: consultations.removeGroup,
      }),
      "set-outreach": async ({ db, viewer, key, form }) => {
        const { outreach } = await proxy.setGroupOutreach(db, viewer, key, form.id ?? "", form);
        return done(outreach ? "Members of this group can now enter positions for peers." : "This group is no longer an outreach group.", "set-outreach", form.id);
      },
    }
  );
}

/** The group's fields; `hint` only on the add form. */
function groupFields(t: TFunction, nameMax: number, hint?: string): ItemField[] {
  return [
    { label: t("facilitator.groups.name"), name: "name", required: true, maxLength: nameMax },
    { label: t("facilitator.groups.description"), name: "description", rows: 2, hint, maxLength: DESCRIPTION_MAX },
  ];
}

export default function Groups() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const { t } = useTranslation();
  const f = useFormat();
  const outreachForms = data.outreachEditable ? data.groups.map((g) => formKey("set-outreach", g.id)) : [];
  const forms = data.editable
    ? [
        ...outreachForms,
        ...(data.groups.length < data.limits.groupsMax ? [formKey("add-group")] : []),
        ...data.groups.flatMap((g) => [
          formKey("update-group", g.id),
          ...(g.hasParticipants ? [] : [formKey("remove-group", g.id)]),
        ]),
      ]
    : outreachForms;

  return (
    <div className="stack">
      <h2>{t("facilitator.groups.title")}</h2>
      <PageNotice result={result} forms={forms} />
      <p>{t("facilitator.groups.intro")}</p>
      {!data.editable ? <ReadOnlyNote reason={data.readOnlyReason} things="groups" /> : null}

      <ul className="item-list stack">
        {data.groups.map((g) => (
          <li key={g.id} className="card stack">
            <h3>{g.name}</h3>
            {g.description ? <p>{g.description}</p> : <p className="muted small">{t("facilitator.groups.noDescription")}</p>}
            {data.outreachGroups.includes(g.id) ? <p className="small"><strong>{t("facilitator.groups.outreachGroup")}</strong> {t("facilitator.groups.outreachMeans")}</p> : null}
            {data.outreachEditable ? <OutreachForm groupId={g.id} groupName={g.name} outreach={data.outreachGroups.includes(g.id)} result={result} /> : null}
            {data.editable ? <GroupForms group={g} result={result} nameMax={data.limits.nameMax} /> : null}
          </li>
        ))}
      </ul>

      <section className="stack" aria-labelledby="proxy-title">
        <h2 id="proxy-title">{t("facilitator.groups.proxyTitle")}</h2>
        <p className="small muted">{t("facilitator.groups.proxyIntro")}</p>
        {data.proxyEntries.length ? (
          <ul>
            {data.proxyEntries.map((e) => (
              <li key={e.pseudonym}>
                {e.pseudonym}: {t("facilitator.groups.positions", { count: e.positions, n: f.number(e.positions) })}
              </li>
            ))}
          </ul>
        ) : (
          <p className="small">{t("facilitator.groups.noneYet")}</p>
        )}
      </section>

      {data.editable && data.groups.length < data.limits.groupsMax ? (
        <AddItemSection
          intent="add-group"
          title={t("facilitator.groups.addTitle")}
          fields={groupFields(t, data.limits.nameMax, t("facilitator.groups.descriptionHint"))}
          result={result}
        >
          {t("facilitator.groups.add")}
        </AddItemSection>
      ) : data.editable ? (
        <p className="muted">{t("facilitator.groups.atMost", { count: data.limits.groupsMax, n: f.number(data.limits.groupsMax) })}</p>
      ) : null}
    </div>
  );
}

/** Marks or unmarks an outreach group (members may enter positions for peers). Works without JavaScript. */
function OutreachForm({ groupId, groupName, outreach, result }: { groupId: string; groupName: string; outreach: boolean; result: FormResult | undefined }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="stack" id={`form-set-outreach-${groupId}`}>
      <FormMeta intent="set-outreach" id={groupId} />
      <FormNotice result={result} intent="set-outreach" id={groupId} />
      <label>
        <input type="checkbox" name="outreach" value="on" defaultChecked={outreach} /> {t("facilitator.groups.outreachCheckbox")}
        <span className="visually-hidden"> ({groupName})</span>
      </label>
      <ActionButton intent="set-outreach" id={groupId} className="button button-secondary" pendingText={t("facilitator.common.saving")}>
        {t("facilitator.groups.save")}<span className="visually-hidden"> {t("facilitator.groups.saveOutreachOf", { group: groupName })}</span>
      </ActionButton>
    </Form>
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
  const { t } = useTranslation();
  const hidden = <span className="visually-hidden">: {group.name}</span>;
  return (
    <>
      <EditItemForm
        intent="update-group"
        id={group.id}
        summary={<>{t("facilitator.groups.edit")}{hidden}</>}
        fields={groupFields(t, nameMax)}
        initial={{ name: group.name, description: group.description }}
        result={result}
      >
        {t("facilitator.groups.saveGroup")}
      </EditItemForm>
      {group.hasParticipants ? (
        <p className="small muted">{t("facilitator.groups.cannotRemove")}</p>
      ) : (
        <RemoveItemForm
          intent="remove-group"
          id={group.id}
          confirmLabel={<>{t("facilitator.groups.confirmRemove")}{hidden}</>}
          button={<>{t("facilitator.groups.remove")}{hidden}</>}
          result={result}
        />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
