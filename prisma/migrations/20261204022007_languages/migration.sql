-- Languages (issue 7): each consultation declares its languages (comma-separated codes, the main one first;
-- 'en' for every existing consultation), and each position and comment carries the language it is written in.
-- Existing positions and comments get their consultation's first language.

-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN "languages" TEXT NOT NULL DEFAULT 'en';

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "language" TEXT NOT NULL,
    CONSTRAINT "Position_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Position_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Position_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Position" ("authorId", "body", "consultationId", "createdAt", "editedAt", "enteredByProxy", "id", "moderationNote", "proxyId", "questionId", "status", "language") SELECT "authorId", "body", "consultationId", "createdAt", "editedAt", "enteredByProxy", "id", "moderationNote", "proxyId", "questionId", "status", (SELECT CASE WHEN instr(c."languages", ',') > 0 THEN substr(c."languages", 1, instr(c."languages", ',') - 1) ELSE c."languages" END FROM "Consultation" c WHERE c."id" = t."consultationId") FROM "Position" t;
DROP TABLE "Position";
ALTER TABLE "new_Position" RENAME TO "Position";
CREATE INDEX "Position_questionId_status_idx" ON "Position"("questionId", "status");
CREATE INDEX "Position_consultationId_idx" ON "Position"("consultationId");
CREATE TABLE "new_Comment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "positionId" TEXT NOT NULL,
    "parentId" TEXT,
    "authorId" TEXT NOT NULL,
    "stance" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'visible',
    "moderationNote" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" DATETIME,
    CONSTRAINT "Comment_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comment_positionId_fkey" FOREIGN KEY ("positionId") REFERENCES "Position" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Comment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Comment" ("authorId", "body", "consultationId", "createdAt", "editedAt", "id", "moderationNote", "parentId", "positionId", "stance", "status", "language") SELECT "authorId", "body", "consultationId", "createdAt", "editedAt", "id", "moderationNote", "parentId", "positionId", "stance", "status", (SELECT CASE WHEN instr(c."languages", ',') > 0 THEN substr(c."languages", 1, instr(c."languages", ',') - 1) ELSE c."languages" END FROM "Consultation" c WHERE c."id" = t."consultationId") FROM "Comment" t;
DROP TABLE "Comment";
ALTER TABLE "new_Comment" RENAME TO "Comment";
CREATE INDEX "Comment_positionId_idx" ON "Comment"("positionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

