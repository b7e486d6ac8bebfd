-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "threadKey" TEXT;
