-- Participant rights (erasure) and identity separation settings.
-- Written as ADD COLUMN (what `prisma migrate diff` produced redefined the whole Consultation table, which
-- would clash with other migrations touching it; the result is the same schema). Existing rows get the defaults.

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN "erasedAt" DATETIME;

-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN "erasureMode" TEXT NOT NULL DEFAULT 'mark';
ALTER TABLE "Consultation" ADD COLUMN "eraseSignInOnPublish" BOOLEAN NOT NULL DEFAULT false;
