import type { z } from 'zod';
import type { TFunction } from '../templates/i18n.js';
import type { FormValues } from '../templates/view.js';
import { tagHints } from '../templates/tag-hints.js';

/** A single form value, trimmed; empty means absent. */
export function one(values: FormValues, id: string): string | undefined {
  const raw = values[id];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

export function many(values: FormValues, id: string): string[] {
  const raw = values[id];
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => v.trim() !== '');
}

/** A whole number typed in a form; anything else is NaN, which the schemas refuse with a clear message. */
export function count(values: FormValues, id: string): number | undefined {
  const value = one(values, id);
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** A schema problem in the member's language. Schema messages are sentence keys of templates/locales. */
export function explainIssue(t: TFunction, issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  return t(issue.message, {
    ...(issue as object),
    length: typeof input === 'string' ? [...input].length : undefined,
    ...tagHints(t),
  });
}

/** Problems per form field; `fieldOf` renames schema paths that differ from field ids. */
export function fieldErrors(t: TFunction, error: z.ZodError, fieldOf: Record<string, string> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = String(issue.path[0] ?? '');
    const field = fieldOf[path] ?? path;
    errors[field] ??= explainIssue(t, issue);
  }
  return errors;
}
