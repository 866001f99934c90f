-- CreateTable
CREATE TABLE "ProxyConsent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "ProxyConsent_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProxyConsent_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StakeholderGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "outreach" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "StakeholderGroup_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_StakeholderGroup" ("consultationId", "description", "id", "key", "name", "sortOrder") SELECT "consultationId", "description", "id", "key", "name", "sortOrder" FROM "StakeholderGroup";
DROP TABLE "StakeholderGroup";
ALTER TABLE "new_StakeholderGroup" RENAME TO "StakeholderGroup";
CREATE UNIQUE INDEX "StakeholderGroup_consultationId_key_key" ON "StakeholderGroup"("consultationId", "key");
CREATE TABLE "new_Position" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'visible',
    "moderationNote" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" DATETIME,
    "enteredByProxy" BOOLEAN NOT NULL DEFAULT false,
    "proxyId" TEXT,
    CONSTRAINT "Position_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Position_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Position_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Position" ("authorId", "body", "consultationId", "createdAt", "editedAt", "id", "moderationNote", "questionId", "status") SELECT "authorId", "body", "consultationId", "createdAt", "editedAt", "id", "moderationNote", "questionId", "status" FROM "Position";
DROP TABLE "Position";
ALTER TABLE "new_Position" RENAME TO "Position";
CREATE INDEX "Position_questionId_status_idx" ON "Position"("questionId", "status");
CREATE INDEX "Position_consultationId_idx" ON "Position"("consultationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ProxyConsent_codeHash_key" ON "ProxyConsent"("codeHash");

-- CreateIndex
CREATE INDEX "ProxyConsent_participantId_idx" ON "ProxyConsent"("participantId");

