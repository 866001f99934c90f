import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { Phase } from "../../consultations/schemas";
import { ConfirmBox } from "../components/facilitator/confirm-box";
import { stamp, toDateTimeLocal, utcFromLocalInput, When } from "../components/facilitator/format";
import { PhaseStepper } from "../components/facilitator/phase-stepper";
import {
  ActionButton,
  done,
  failureFor,
  formAnchor,
  formKey,
  FormMeta,
  FormNotice,
  PageNotice,
  type FormResult,
} from "../components/facilitator/results";
import { ShownCount } from "../components/facilitator/shown-count";
import { PrivacySettings } from "../components/facilitator/privacy-settings";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { facilitatorAction, facilitatorLoader } from "../components/facilitator/facilitator.server";
import { consultations, DomainError, rights } from "../domain.server";
import { LIMITS, PHASE_LABELS, phaseSteps, reservedSlugError } from "../components/facilitator/rules.server";

/** Long Markdown descriptions: non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 256 * 1024;

const PUBLISH_CONFIRM = "Tick the box to confirm: nothing can change after publishing.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    const participation = await consultations.participationByGroup(db, viewer, key);
    const privacy = await rights.getPrivacySettings(db, viewer, key);
    const c = setup.consultation;
    const schedule = {
      positionsAt: c.positionsAt,
      deliberationAt: c.deliberationAt,
      synthesisAt: c.synthesisAt,
      publishedAt: c.publishedAt,
    };
    return {
      slug: c.slug,
      phase: c.phase,
      steps: phaseSteps(),
      labels: PHASE_LABELS,
      limits: {
        titleMax: LIMITS.titleMax,
        descriptionMax: LIMITS.descriptionMax,
        positionMaxCeiling: LIMITS.positionMaxCeiling,
      },
      phaseChanged: stamp(c.phaseChangedAt),
      next: setup.next,
      previous: setup.previous,
      questionCount: setup.questions.length,
      editable: c.phase !== "published",
      details: { title: c.title, slug: c.slug, description: c.description, maxPositionLength: c.maxPositionLength },
      schedule: Object.fromEntries(
        Object.entries(schedule).map(([k, v]) => [k, { input: toDateTimeLocal(v), shown: v ? stamp(v) : null }])
      ) as Record<keyof typeof schedule, { input: string; shown: ReturnType<typeof stamp> | null }>,
      now: stamp(new Date()),
      privacy,
      participation: {
        groups: participation.groups.map((g) => ({
          groupId: g.groupId,
          name: g.name,
          participants: g.participants,
          positions: g.positions,
          voters: g.voters,
          invitations: participation.invitationsByGroup[g.groupId] ?? 0,
        })),
        total: participation.total,
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(
    request,
    params,
    {
      "move-phase": async ({ db, viewer, key, form }) => {
        if (form.to === "published" && form.confirm !== "yes") {
          throw new DomainError("invalid", "Please confirm before publishing.", { confirm: [PUBLISH_CONFIRM] });
        }
        const moved = await consultations.movePhase(db, viewer, key, { to: form.to });
        return done(`The consultation is now in the ${PHASE_LABELS[moved.to]} phase.`, "move-phase");
      },
      schedule: async ({ db, viewer, key, form }) => {
        await consultations.setSchedule(db, viewer, key, {
          positionsAt: utcFromLocalInput(form.positionsAt),
          deliberationAt: utcFromLocalInput(form.deliberationAt),
          synthesisAt: utcFromLocalInput(form.synthesisAt),
          publishedAt: utcFromLocalInput(form.publishedAt),
        });
        return done("The schedule was saved.", "schedule");
      },
      privacy: async ({ db, viewer, key, form }) => {
        await rights.setPrivacySettings(db, viewer, key, { erasureMode: form.erasureMode, eraseSignInOnPublish: form.eraseSignInOnPublish, minGroupSize: form.minGroupSize });
        return done("The privacy settings were saved.", "privacy");
      },
      details: async ({ db, viewer, key, form }) => {
        const reserved = reservedSlugError(form.slug);
        if (reserved) throw new DomainError("invalid", "Please correct the form.", reserved);
        const updated = await consultations.updateDetails(db, viewer, key, form);
        if (updated.slug !== key.slug) return redirect(`/facilitate/${encodeURIComponent(updated.slug)}`);
        return done("The details were saved.", "details");
      },
    },
    { maxBytes: MAX_FORM_BYTES }
  );
}

const SCHEDULE_FIELDS = [
  { name: "positionsAt", label: "Positions open" },
  { name: "deliberationAt", label: "Deliberation starts" },
  { name: "synthesisAt", label: "Synthesis starts" },
  { name: "publishedAt", label: "Report is published" },
] as const;

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const { labels, limits } = data;
  const result = useActionData<FormResult>();
  const moveFailed = failureFor(result, "move-phase");
  const scheduleFailed = failureFor(result, "schedule");
  const detailsFailed = failureFor(result, "details");
  const sv = scheduleFailed?.values ?? {};
  const dv = detailsFailed?.values ?? {};
  const forms = data.editable ? ["move-phase", "schedule", "details", ...(data.privacy.locked ? [] : ["privacy"])] : [];
  // With a group below the minimum, the total would give its size away (total minus the other groups).
  const totalHidden = data.participation.groups.some((g) => g.participants.suppressed);

  return (
    <div className="stack">
      <PageNotice result={result} forms={forms.map((f) => formKey(f))} />

      <section className="card stack" aria-labelledby="phase-title" id={formAnchor("move-phase")}>
        <h2 id="phase-title">Phase</h2>
        <PhaseStepper steps={data.steps} current={data.phase} />
        <p className="small muted">
          {labels[data.phase]} since <When at={data.phaseChanged} />.
        </p>
        <FormNotice result={result} intent="move-phase" />
        <PhaseHelp phase={data.phase} questionCount={data.questionCount} />
        {data.phase === "published" ? (
          <p>The report is published. The consultation is closed for good: nothing can change now.</p>
        ) : (
          <div className="phase-actions">
            {data.previous ? (
              <Form method="post" className="phase-form" preventScrollReset>
                <FormMeta intent="move-phase" />
                <input type="hidden" name="to" value={data.previous} />
                <ActionButton intent="move-phase" className="button button-secondary" pendingText="Moving…">
                  Back to {labels[data.previous]}
                </ActionButton>
              </Form>
            ) : null}
            {data.next === "published" ? (
              // Publishing goes through the report: run the synthesis, review the wording, then publish.
              <Link to="synthesis" className="button">
                Review and publish the report
              </Link>
            ) : data.next ? (
              <Form method="post" className="phase-form" preventScrollReset noValidate>
                <FormMeta intent="move-phase" />
                <input type="hidden" name="to" value={data.next} />
                <ActionButton intent="move-phase" className="button" pendingText="Moving…">
                  {`Move on to ${labels[data.next]}`}
                </ActionButton>
              </Form>
            ) : null}
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="participation-title">
        <h2 id="participation-title">Participation per group</h2>
        <p className="small muted">
          To protect people, any figure about fewer than the minimum number of people is shown as &ldquo;fewer than
          &hellip;&rdquo;, for facilitators too.
          {totalHidden
            ? " The total is not shown while a group is that small: it would give the group's size away."
            : ""}
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Joined</th>
                <th scope="col">Wrote positions</th>
                <th scope="col">Voted</th>
                <th scope="col">Invitations issued</th>
              </tr>
            </thead>
            <tbody>
              {data.participation.groups.map((g) => (
                <tr key={g.groupId}>
                  <th scope="row">{g.name}</th>
                  <td>
                    <ShownCount value={g.participants} />
                  </td>
                  <td>
                    <ShownCount value={g.positions} />
                  </td>
                  <td>
                    <ShownCount value={g.voters} />
                  </td>
                  <td>{g.invitations}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All groups</th>
                <td>
                  {totalHidden ? (
                    <span className="suppressed">not shown</span>
                  ) : (
                    <ShownCount value={data.participation.total} />
                  )}
                </td>
                <td colSpan={2}></td>
                <td>{data.participation.groups.reduce((sum, g) => sum + g.invitations, 0)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section className="card stack" aria-labelledby="schedule-title" id={formAnchor("schedule")}>
        <h2 id="schedule-title">Schedule</h2>
        <p>
          When a date passes, the consultation moves forward to that phase by itself. Dates never move it back. Leave a
          date empty to move that phase by hand.
        </p>
        <p className="small muted">
          Times are in UTC. It is now <When at={data.now} />.
        </p>
        {data.editable ? (
          <Form method="post" noValidate preventScrollReset>
            <FormMeta intent="schedule" />
            <FormNotice result={result} intent="schedule" />
            <div className="grid-2">
              {SCHEDULE_FIELDS.map((f) => (
                <Field
                  key={f.name}
                  label={`${f.label} (UTC)`}
                  name={f.name}
                  type="datetime-local"
                  defaultValue={sv[f.name] ?? data.schedule[f.name].input}
                  errors={scheduleFailed?.fieldErrors[f.name]}
                />
              ))}
            </div>
            <ActionButton intent="schedule" pendingText="Saving…">
              Save schedule
            </ActionButton>
          </Form>
        ) : (
          <dl>
            {SCHEDULE_FIELDS.map((f) => (
              <div key={f.name}>
                <dt>{f.label}</dt>
                <dd>{data.schedule[f.name].shown ? <When at={data.schedule[f.name].shown!} /> : "Not scheduled"}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <PrivacySettings settings={data.privacy} result={result} />

      <section className="card stack" aria-labelledby="details-title" id={formAnchor("details")}>
        <h2 id="details-title">Details</h2>
        {data.editable ? (
          <Form method="post" noValidate preventScrollReset>
            <FormMeta intent="details" />
            <FormNotice result={result} intent="details" />
            <Field
              label="Title"
              name="title"
              required
              maxLength={limits.titleMax}
              defaultValue={dv.title ?? data.details.title}
              errors={detailsFailed?.fieldErrors.title}
            />
            <Field
              label="Web address"
              name="slug"
              required
              readOnly={data.phase !== "draft"}
              autoCapitalize="none"
              spellCheck={false}
              hint={
                data.phase === "draft"
                  ? "Lower-case letters, digits and dashes. It can only change while the consultation is a draft."
                  : "It cannot change any more: invitations and links point to it."
              }
              defaultValue={dv.slug ?? data.details.slug}
              errors={detailsFailed?.fieldErrors.slug}
            />
            <Field
              label="Description"
              name="description"
              multiline
              rows={10}
              hint="You can use Markdown: **bold**, *italic*, lists and links."
              required
              maxLength={limits.descriptionMax}
              defaultValue={dv.description ?? data.details.description}
              errors={detailsFailed?.fieldErrors.description}
            />
            <Field
              label="Longest position (characters)"
              name="maxPositionLength"
              type="number"
              inputMode="numeric"
              min={100}
              max={limits.positionMaxCeiling}
              step={1}
              required
              defaultValue={dv.maxPositionLength ?? String(data.details.maxPositionLength)}
              errors={detailsFailed?.fieldErrors.maxPositionLength}
            />
            <ActionButton intent="details" pendingText="Saving…">
              Save details
            </ActionButton>
          </Form>
        ) : (
          <dl>
            <dt>Web address</dt>
            <dd>{data.details.slug}</dd>
            <dt>Longest position</dt>
            <dd>{data.details.maxPositionLength} characters</dd>
          </dl>
        )}
      </section>
    </div>
  );
}

function PhaseHelp({ phase, questionCount }: { phase: Phase; questionCount: number }) {
  switch (phase) {
    case "draft":
      return (
        <p>
          Set up questions and groups, and print invitations. Opening positions lets people write.
          {questionCount === 0 ? " Add at least one question first." : ""}
        </p>
      );
    case "positions":
      return <p>Participants write positions, vote and comment. Questions and groups are fixed now.</p>;
    case "deliberation":
      return <p>No new positions: participants vote and discuss the ones there are.</p>;
    case "synthesis":
      return <p>Participation is closed. Prepare the report; flags can still come in and be moderated.</p>;
    case "published":
      return null;
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
