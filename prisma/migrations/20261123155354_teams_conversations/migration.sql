-- CreateTable
CREATE TABLE "TeamsConversation" (
    "conversationId" TEXT NOT NULL PRIMARY KEY,
    "serviceUrl" TEXT NOT NULL,
    "tenantId" TEXT,
    "teamId" TEXT,
    "reference" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
