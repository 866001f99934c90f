/**
 * Pseudonyms the app gives: two neutral words and a number, drawn from a CSPRNG, unique within one
 * consultation. Nothing in them derives from an account, a device or another consultation.
 */
import { randomInt } from "node:crypto";

const FIRST = [
  "Amber", "Brave", "Calm", "Clear", "Coral", "Crimson", "Daring", "Eager", "Gentle", "Golden",
  "Hidden", "Honest", "Indigo", "Jade", "Kind", "Lively", "Lucky", "Mellow", "Misty", "Nimble",
  "Olive", "Patient", "Quiet", "Rapid", "Rustic", "Sage", "Silver", "Steady", "Sunny", "Swift",
  "Teal", "Tidy", "Violet", "Warm", "Wild", "Wise", "Young", "Zesty", "Bold", "Bright",
];
const SECOND = [
  "Badger", "Beacon", "Birch", "Bridge", "Brook", "Canyon", "Cedar", "Comet", "Crane", "Delta",
  "Dune", "Falcon", "Fern", "Finch", "Fox", "Harbor", "Heron", "Island", "Lantern", "Lark",
  "Maple", "Meadow", "Moth", "Otter", "Owl", "Pebble", "Pine", "Raven", "Reed", "River",
  "Robin", "Sparrow", "Spruce", "Star", "Stone", "Swan", "Thistle", "Tide", "Willow", "Wren",
];

/** About 40 x 40 x 90 = 144,000 names: enough that retries are rare in consultations of thousands. */
export function generatePseudonym(): string {
  const a = FIRST[randomInt(FIRST.length)];
  const b = SECOND[randomInt(SECOND.length)];
  return `${a} ${b} ${randomInt(10, 100)}`;
}

/** Pseudonyms compare case- and space-insensitively, so "swift fox" cannot pose as "Swift Fox". */
export function pseudonymKey(pseudonym: string): string {
  return pseudonym.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}
