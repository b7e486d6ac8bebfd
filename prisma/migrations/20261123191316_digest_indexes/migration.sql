-- DropIndex
DROP INDEX "Observation_caseId_idx";

-- DropIndex
DROP INDEX "Observation_platformId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Observation_platformId_createdAt_withdrawnAt_confidentiality_innovative_caseId_authorId_idx" ON "Observation"("platformId", "createdAt", "withdrawnAt", "confidentiality", "innovative", "caseId", "authorId");

-- CreateIndex
CREATE INDEX "Observation_caseId_withdrawnAt_createdAt_confidentiality_authorId_idx" ON "Observation"("caseId", "withdrawnAt", "createdAt", "confidentiality", "authorId");
