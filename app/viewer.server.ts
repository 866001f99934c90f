/**
 * What the landing page shows about the viewer's own participant identities (server-only).
 */
import type { Viewer } from "../consultations/permissions";
import { getDb } from "./db.server";

export interface ParticipantLink {
  slug: string;
  title: string;
  pseudonym: string;
  suspended: boolean;
}

/** The consultations the viewer takes part in, with the pseudonym used in each (title order). */
export async function participantLinks(viewer: Viewer): Promise<ParticipantLink[]> {
  if (viewer.participants.length === 0) return [];
  const db = await getDb();
  const consultations = await db.consultation.findMany({
    where: { id: { in: viewer.participants.map((p) => p.consultationId) } },
    select: { id: true, slug: true, title: true },
    orderBy: { title: "asc" },
  });
  return consultations.flatMap((c) => {
    const me = viewer.participants.find((p) => p.consultationId === c.id);
    return me ? [{ slug: c.slug, title: c.title, pseudonym: me.pseudonym, suspended: me.status === "suspended" }] : [];
  });
}
