/**
 * The attribution Polis open data carries (CC BY 4.0). Every copy of the data and everything made from
 * it (imported consultations, reports) states it; see /work/shared/data/polis/README.md.
 */
import { escapeMarkdown } from "../report/text";

export const POLIS_ATTRIBUTION =
  "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 " +
  "with Attribution to The Computational Democracy Project.";

export const CC_BY_4_URL = "https://creativecommons.org/licenses/by/4.0/";

/** Markdown crediting a Polis conversation: where it came from (the topic as literal text) and under which licence. */
export function polisCreditMarkdown(source: { topic: string; url: string | null }): string {
  const where = source.url ? ` (${source.url})` : "";
  return [
    `Imported from the Polis conversation "${escapeMarkdown(source.topic)}"${where}.`,
    "",
    `${POLIS_ATTRIBUTION} Licence: ${CC_BY_4_URL}`,
  ].join("\n");
}
