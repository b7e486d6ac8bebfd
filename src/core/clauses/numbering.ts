/**
 * Clause numbers. Each platform has one code (its id is the platform id; the international
 * platform's is the international recommendations). Clauses are numbered per stage:
 * `<CODE>-<stage index>.<n>`, stage index 1 anticipation, 2 preparation, 3 implementation,
 * 4 follow-up; n counts up per (code, stage) and is allocated inside the creating transaction.
 */
import { z } from 'zod';
import { STAGES, type Stage } from '../vocabulary.js';
import type { Db } from '../groups.js';

export const stageIndex = (stage: Stage): number => STAGES.indexOf(stage) + 1;

export function clauseRef(c: { code: string; stage: string; number: number }): string {
  return `${c.code}-${stageIndex(c.stage as Stage)}.${c.number}`;
}

/** `FR-2.3` as typed (any case) → its parts. */
export const ClauseRef = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}-[1-4]\.[1-9]\d{0,4}$/, 'errors.clauseRefFormat')
  .transform((ref) => {
    const [, code, stage, number] = /^(.+)-([1-4])\.(\d+)$/.exec(ref)!;
    return { ref, code, stage: STAGES[Number(stage) - 1], number: Number(number) };
  });
export type ClauseRef = z.output<typeof ClauseRef>;

/** The next number of a (code, stage). Call it inside the transaction that creates the clause. */
export async function nextClauseNumber(tx: Db, code: string, stage: Stage): Promise<number> {
  const last = await tx.clause.findFirst({ where: { code, stage }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
