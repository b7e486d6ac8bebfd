-- AlterTable
ALTER TABLE "Member" ADD COLUMN "forgottenAt" DATETIME;

-- CreateTable
CREATE TABLE "CaseIndicator" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "measuredOn" DATETIME NOT NULL,
    "supportCosts" INTEGER,
    "severanceCosts" INTEGER,
    "publicFunding" INTEGER,
    "workersAffected" INTEGER,
    "reemployed6m" INTEGER,
    "reemployed12m" INTEGER,
    "inTraining" INTEGER,
    "jobsSaved" INTEGER,
    "jobsCreated" INTEGER,
    "recordedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Practice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ref" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "sector" TEXT,
    "frame" TEXT NOT NULL,
    "actors" JSONB NOT NULL,
    "results" TEXT,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PracticeSource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "practiceId" INTEGER NOT NULL,
    "observationId" INTEGER,
    "caseId" INTEGER,
    CONSTRAINT "PracticeSource_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PracticeAssessment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "practiceId" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "helping" TEXT,
    "hindering" TEXT,
    "carriers" JSONB NOT NULL,
    "assessorId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PracticeAssessment_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FrameworkEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nameOriginal" TEXT,
    "nameEnglish" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "phase" TEXT,
    "category" TEXT,
    "actors" JSONB NOT NULL,
    "thresholds" TEXT,
    "sourceUrl" TEXT,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "detail" JSONB NOT NULL
);

-- CreateIndex
CREATE INDEX "CaseIndicator_caseId_measuredOn_idx" ON "CaseIndicator"("caseId", "measuredOn");

-- CreateIndex
CREATE UNIQUE INDEX "Practice_ref_key" ON "Practice"("ref");

-- CreateIndex
CREATE INDEX "Practice_platformId_idx" ON "Practice"("platformId");

-- CreateIndex
CREATE INDEX "PracticeSource_practiceId_idx" ON "PracticeSource"("practiceId");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeAssessment_practiceId_country_assessorId_key" ON "PracticeAssessment"("practiceId", "country", "assessorId");

-- CreateIndex
CREATE INDEX "FrameworkEntry_country_kind_idx" ON "FrameworkEntry"("country", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "FrameworkEntry_source_sourceKey_key" ON "FrameworkEntry"("source", "sourceKey");
