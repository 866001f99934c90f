/**
 * GET /c/<slug>/my-data.json: everything stored about the signed-in participant in this consultation, as a
 * JSON download (consultations/participant-rights.ts exportMyData). Only the participant themself:
 * anonymous visitors go to the "come back" page, facilitators get 403, anyone else 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { participantLoader } from "../components/participant/participant.server";
import { rights } from "../domain.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const data = await rights.exportMyData(db, viewer, key);
    const filename = `polyphony-${data.consultation.slug}-my-data.json`.replace(/[^A-Za-z0-9._-]/g, "-");
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      status: 200,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
