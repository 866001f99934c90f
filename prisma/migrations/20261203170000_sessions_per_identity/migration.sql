-- One session per identity (consultations/sessions.ts): a session speaks for an account OR one participant
-- identity, and an ended session is deleted, so "revokedAt" goes.
-- Sessions that spoke for several identities keep one: the account's (their participant links go), or the
-- first participant identity's. The other identities on such a device sign in again (recovery code or
-- passphrase), so that no row links them.
DELETE FROM "Session" WHERE "revokedAt" IS NOT NULL;
DELETE FROM "SessionParticipant" WHERE "sessionId" NOT IN (SELECT "id" FROM "Session");
DELETE FROM "SessionParticipant" WHERE "sessionId" IN (SELECT "id" FROM "Session" WHERE "accountId" IS NOT NULL);
DELETE FROM "SessionParticipant" WHERE rowid NOT IN (SELECT MIN(rowid) FROM "SessionParticipant" GROUP BY "sessionId");

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "accountId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("accountId", "createdAt", "expiresAt", "id", "lastSeenAt", "tokenHash") SELECT "accountId", "createdAt", "expiresAt", "id", "lastSeenAt", "tokenHash" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");
CREATE INDEX "Session_accountId_idx" ON "Session"("accountId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

