-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "owner" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "lastError" TEXT,

    PRIMARY KEY ("job", "dueAt")
);

-- CreateIndex
CREATE INDEX "JobRun_job_finishedAt_idx" ON "JobRun"("job", "finishedAt");
