-- CreateTable
CREATE TABLE "Exchange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "topic" TEXT NOT NULL,
    "organiserId" INTEGER NOT NULL,
    "platformId" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "languages" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'polling',
    "confirmedSlotId" INTEGER,
    "startsAt" DATETIME,
    "icsToken" TEXT NOT NULL,
    "minutes" TEXT,
    "minutesById" INTEGER,
    "minutesAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    "cancelledAt" DATETIME
);

-- CreateTable
CREATE TABLE "ExchangePlatform" (
    "exchangeId" INTEGER NOT NULL,
    "platformId" TEXT NOT NULL,

    PRIMARY KEY ("exchangeId", "platformId"),
    CONSTRAINT "ExchangePlatform_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "Exchange" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExchangeSlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "exchangeId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "startsAt" DATETIME NOT NULL,
    CONSTRAINT "ExchangeSlot_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "Exchange" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExchangeAnswer" (
    "slotId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platformId" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("slotId", "memberId"),
    CONSTRAINT "ExchangeAnswer_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "ExchangeSlot" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExchangeItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "exchangeId" INTEGER NOT NULL,
    "caseId" INTEGER,
    "observationId" INTEGER,
    "clauseId" INTEGER,
    CONSTRAINT "ExchangeItem_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "Exchange" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExchangeTakeaway" (
    "observationId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "exchangeId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "platformId" TEXT NOT NULL,
    CONSTRAINT "ExchangeTakeaway_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "Exchange" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Exchange_icsToken_key" ON "Exchange"("icsToken");

-- CreateIndex
CREATE INDEX "Exchange_status_idx" ON "Exchange"("status");

-- CreateIndex
CREATE INDEX "ExchangePlatform_platformId_idx" ON "ExchangePlatform"("platformId");

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeSlot_exchangeId_number_key" ON "ExchangeSlot"("exchangeId", "number");

-- CreateIndex
CREATE INDEX "ExchangeItem_exchangeId_idx" ON "ExchangeItem"("exchangeId");

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeTakeaway_exchangeId_number_platformId_key" ON "ExchangeTakeaway"("exchangeId", "number", "platformId");
