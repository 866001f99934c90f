-- Languages (issue 7): each consultation declares its languages (comma-separated codes, the main one first;
-- 'en' for every existing consultation), and each position and comment carries the language it is written in.
-- Existing positions and comments get their consultation's first language.

-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN "languages" TEXT NOT NULL DEFAULT 'en';

-- AlterTable
ALTER TABLE "Position" ADD COLUMN "language" TEXT;
UPDATE "Position" AS t SET "language" = split_part(c."languages", ',', 1) FROM "Consultation" AS c WHERE c."id" = t."consultationId";
ALTER TABLE "Position" ALTER COLUMN "language" SET NOT NULL;

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN "language" TEXT;
UPDATE "Comment" AS t SET "language" = split_part(c."languages", ',', 1) FROM "Consultation" AS c WHERE c."id" = t."consultationId";
ALTER TABLE "Comment" ALTER COLUMN "language" SET NOT NULL;
