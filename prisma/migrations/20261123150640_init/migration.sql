-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "actorType" TEXT,
    "organisation" TEXT,
    "country" TEXT,
    "language" TEXT,
    "profileSetAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Case" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ref" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "anonymised" BOOLEAN NOT NULL DEFAULT false,
    "groupName" TEXT,
    "country" TEXT NOT NULL,
    "nutsRegion" TEXT,
    "naceSection" TEXT,
    "type" TEXT NOT NULL,
    "affectedUnit" TEXT,
    "headcountBefore" INTEGER,
    "jobsAffected" INTEGER,
    "announcedOn" DATETIME,
    "effectStart" DATETIME,
    "effectEnd" DATETIME,
    "sources" JSONB NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platformId" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "stage" TEXT,
    "caseId" INTEGER,
    "innovative" BOOLEAN NOT NULL DEFAULT false,
    "confidentiality" TEXT NOT NULL DEFAULT 'platform',
    "language" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "sourceKey" TEXT,
    "sourceLink" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "editedAt" DATETIME,
    "withdrawnAt" DATETIME,
    CONSTRAINT "Observation_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Observation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ObservationDimension" (
    "observationId" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,

    PRIMARY KEY ("observationId", "dimension"),
    CONSTRAINT "ObservationDimension_observationId_fkey" FOREIGN KEY ("observationId") REFERENCES "Observation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageKey" TEXT NOT NULL,
    "view" JSONB NOT NULL,
    "locale" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "messageKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "postedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("messageKey", "channel", "conversationId")
);

-- CreateTable
CREATE TABLE "PendingAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_channel_workspace_externalId_key" ON "Member"("channel", "workspace", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Case_ref_key" ON "Case"("ref");

-- CreateIndex
CREATE INDEX "Case_platformId_idx" ON "Case"("platformId");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_sourceKey_key" ON "Observation"("sourceKey");

-- CreateIndex
CREATE INDEX "Observation_platformId_createdAt_idx" ON "Observation"("platformId", "createdAt");

-- CreateIndex
CREATE INDEX "Observation_caseId_idx" ON "Observation"("caseId");

-- CreateIndex
CREATE INDEX "ObservationDimension_dimension_idx" ON "ObservationDimension"("dimension");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_messageKey_idx" ON "OutboxMessage"("messageKey");
