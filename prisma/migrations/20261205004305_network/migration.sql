-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "actorId" INTEGER;
ALTER TABLE "OutboxMessage" ADD COLUMN "actorToldAt" DATETIME;

-- CreateTable
CREATE TABLE "Platform" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "country" TEXT,
    "international" BOOLEAN NOT NULL DEFAULT false,
    "languages" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "digest" TEXT,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'chat',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelBinding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chat" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "enterprise" TEXT,
    "channelId" TEXT NOT NULL,
    "name" TEXT,
    "platformId" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'chat',
    "boundBy" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChannelBinding_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chat" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'chat',
    "grantedBy" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DirectoryRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "revision" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "SlackConversation" (
    "channelId" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "enterprise" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "teamName" TEXT,
    "botUserId" TEXT,
    "botId" TEXT,
    "scopes" TEXT NOT NULL,
    "installerUserId" TEXT,
    "sealed" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ChannelBinding_chat_channelId_idx" ON "ChannelBinding"("chat", "channelId");

-- CreateIndex
CREATE INDEX "ChannelBinding_platformId_idx" ON "ChannelBinding"("platformId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelBinding_chat_workspace_channelId_key" ON "ChannelBinding"("chat", "workspace", "channelId");

-- CreateIndex
CREATE INDEX "RoleGrant_role_platformId_idx" ON "RoleGrant"("role", "platformId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleGrant_chat_workspace_externalId_role_platformId_key" ON "RoleGrant"("chat", "workspace", "externalId", "role", "platformId");

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_key_key" ON "SlackInstallation"("key");

-- CreateIndex
CREATE INDEX "SlackInstallation_enterpriseId_idx" ON "SlackInstallation"("enterpriseId");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_conversationId_status_idx" ON "OutboxMessage"("channel", "conversationId", "status");
