import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { metaT } from "../i18n";
import type { ActionResult } from "../action-result";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { SubmitButton } from "../components/submit-button";
import { chosenFrom, LanguagesFields } from "../components/facilitator/languages-settings";
import { getDb } from "../db.server";
import { consultations, DomainError, languages } from "../domain.server";
import { actionError, formObject } from "../http.server";
import { LIMITS, reservedSlugError } from "../components/facilitator/rules.server";
import { requireFacilitator } from "../session.server";
import facilitatorStyles from "../styles/facilitator.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: facilitatorStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("facilitator.new.title")} · Polyphony` }];

/** The suggested groups (facilitator.new.defaultGroups, one per line), in the page's language. */

/** Long Markdown descriptions: non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 256 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireFacilitator(request);
  return {
    languageChoices: languages.languageChoices(),
    limits: {
      titleMax: LIMITS.titleMax,
      descriptionMax: LIMITS.descriptionMax,
      groupsMax: LIMITS.groupsMax,
      positionMaxDefault: LIMITS.positionMaxDefault,
      positionMaxCeiling: LIMITS.positionMaxCeiling,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { info } = await requireFacilitator(request);
  const form = await formObject(request, { maxBytes: MAX_FORM_BYTES, lists: ["languages"] });
  try {
    const reserved = reservedSlugError(form.slug);
    if (reserved) throw new DomainError("invalid", "Please correct the form.", reserved);
    const created = await consultations.createConsultation(await getDb(), info.viewer, form);
    return redirect(`/facilitate/${encodeURIComponent(created.slug)}`);
  } catch (error) {
    return actionError(error, form);
  }
}

export default function NewConsultation() {
  const { limits, languageChoices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const result = useActionData<ActionResult>();
  const failed = result && !result.ok ? result : null;
  const values = failed?.values ?? {};
  const errors = failed?.fieldErrors ?? {};
  return (
    <div className="container stack facilitate">
      <p className="small muted">
        <Link to="/facilitate">{t("facilitator.common.allConsultations")}</Link>
      </p>
      <h1>{t("facilitator.new.title")}</h1>
      <p>{t("facilitator.new.intro")}</p>
      <Form method="post" className="card" noValidate>
        <FormErrors result={result} />
        <Field
          label={t("facilitator.details.title")}
          name="title"
          required
          maxLength={limits.titleMax}
          defaultValue={values.title ?? ""}
          errors={errors.title}
        />
        <Field
          label={t("facilitator.details.slug")}
          name="slug"
          hint={t("facilitator.new.slugHint")}
          required
          minLength={3}
          maxLength={60}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={values.slug ?? ""}
          errors={errors.slug}
        />
        <Field
          label={t("facilitator.details.description")}
          name="description"
          multiline
          rows={10}
          hint={t("facilitator.new.descriptionHint")}
          required
          maxLength={limits.descriptionMax}
          defaultValue={values.description ?? ""}
          errors={errors.description}
        />
        <Field
          label={t("facilitator.new.groups")}
          name="groups"
          multiline
          rows={6}
          hint={t("facilitator.new.groupsHint", { max: limits.groupsMax })}
          required
          defaultValue={values.groups ?? t("facilitator.new.defaultGroups")}
          errors={errors.groups}
        />
        <Field
          label={t("facilitator.details.maxLength")}
          name="maxPositionLength"
          type="number"
          inputMode="numeric"
          min={100}
          max={limits.positionMaxCeiling}
          step={1}
          hint={t("facilitator.new.maxLengthHint", { min: 100, max: limits.positionMaxCeiling })}
          required
          defaultValue={values.maxPositionLength ?? String(limits.positionMaxDefault)}
          errors={errors.maxPositionLength}
        />
        <LanguagesFields choices={languageChoices} chosen={chosenFrom(failed?.values, ["en"])} errors={errors.languages} />
        <SubmitButton pendingText={t("facilitator.common.creating")}>{t("facilitator.new.create")}</SubmitButton>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
