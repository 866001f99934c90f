-- CreateTable
CREATE TABLE "LiveSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "holdComments" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "LiveSession_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveSpotlight" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "positionId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "LiveSpotlight_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProcessedRequest" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProcessedRequest_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LiveSession_consultationId_closedAt_idx" ON "LiveSession"("consultationId", "closedAt");

-- CreateIndex
CREATE INDEX "LiveSpotlight_sessionId_startedAt_idx" ON "LiveSpotlight"("sessionId", "startedAt");

-- CreateIndex
CREATE INDEX "ProcessedRequest_createdAt_idx" ON "ProcessedRequest"("createdAt");

