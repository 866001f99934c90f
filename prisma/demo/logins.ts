/**
 * The demo's fixed logins and codes, documented in docs/DEMO.md. They are public: never keep the demo
 * consultation in a production database that real people use (set POLYPHONY_SEED=none there).
 *
 * Invitation and recovery codes are Crockford base32 (0-9 A-Z without I L O U), 28 characters like the
 * codes the app generates. They are written here as readable words and passed through the app's own
 * normaliseCode (O -> 0, I and L -> 1), so "DEMOPOLICE" becomes "DEM0P011CE", and a person who types
 * the readable word still gets in. prisma/seed.ts checks that each code is already normalised.
 */
import { formatCode, normaliseCode } from "../../consultations/crypto";
import type { GroupId } from "./content";

export const CODE_LENGTH = 28;

/** A readable word turned into a 28-character code, padded with zeros. */
export function demoCode(readable: string): string {
  const code = normaliseCode(readable).padEnd(CODE_LENGTH, "0");
  if (code.length !== CODE_LENGTH || !/^[0-9A-HJKMNP-TV-Z]+$/.test(code) || normaliseCode(code) !== code) {
    throw new Error(`Demo code "${readable}" is not a valid ${CODE_LENGTH}-character Crockford base32 code.`);
  }
  return code;
}

export const FACILITATOR = {
  email: "facilitator@polyphony.example",
  password: "peer-work-demo-2026",
  displayName: "Demo Facilitator",
} as const;

/** How long the open demo invitations stay valid. */
export const INVITATION_VALID_DAYS = 365;

/** One open (single-use) invitation per group, with a code anyone can read in docs/DEMO.md. */
export const OPEN_INVITATIONS: Record<GroupId, string> = {
  peers: demoCode("DEMOPEERS"),
  sexWorkers: demoCode("DEMOSEXWORKERS"),
  outreach: demoCode("DEMOSTREETWORK"),
  police: demoCode("DEMOPOLICE"),
  policy: demoCode("DEMOPOLICYMAKERS"),
};

export interface DemoParticipantLogin {
  id: "harbor" | "heron";
  group: GroupId;
  pseudonym: string;
  passphrase: string;
  /** Normalised (no dashes); shown to people formatted in groups of four. */
  recoveryCode: string;
}

export const PARTICIPANT_LOGINS: DemoParticipantLogin[] = [
  {
    id: "harbor",
    group: "peers",
    pseudonym: "Harbor Lantern",
    passphrase: "harbor-lantern-demo",
    recoveryCode: demoCode("HARBORLANTERNRECOVERY"),
  },
  {
    id: "heron",
    group: "police",
    pseudonym: "Steady Heron",
    passphrase: "steady-heron-demo",
    recoveryCode: demoCode("STEADYHERONRECOVERY"),
  },
];

/** The path a phone opens to join with a demo invitation. */
export function joinPath(code: string): string {
  return `/join/${formatCode(code)}`;
}
