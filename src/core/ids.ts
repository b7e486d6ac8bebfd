import { z } from 'zod';

/** A case reference as members type it: ACME-2026. Stored upper case. */
export const CaseRef = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'errors.caseRefFormat');
