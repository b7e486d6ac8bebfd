-- CreateTable
CREATE TABLE "Vote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clauseId" INTEGER NOT NULL,
    "rule" JSONB NOT NULL,
    "eligibility" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "resultsHidden" BOOLEAN NOT NULL DEFAULT false,
    "reasonRequired" BOOLEAN NOT NULL DEFAULT false,
    "secret" TEXT,
    "closesAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedById" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "result" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    CONSTRAINT "Vote_clauseId_fkey" FOREIGN KEY ("clauseId") REFERENCES "Clause" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ballot" (
    "voteId" INTEGER NOT NULL,
    "voterKey" TEXT NOT NULL,
    "choice" JSONB NOT NULL,
    "reason" TEXT,
    "castAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("voteId", "voterKey"),
    CONSTRAINT "Ballot_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Vote_clauseId_status_idx" ON "Vote"("clauseId", "status");

-- CreateIndex
CREATE INDEX "Vote_status_idx" ON "Vote"("status");
