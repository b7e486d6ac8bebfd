import type { z } from 'zod';

/** `platforms[2].timezone` for the path ['platforms', 2, 'timezone']. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

/** One line per problem, each naming where it is: `platforms[2].timezone: unknown time zone "Paris"`. */
export function formatIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const where = issuePath([...(prefix ? [prefix] : []), ...issue.path]);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}
