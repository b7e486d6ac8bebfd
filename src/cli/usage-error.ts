/**
 * The exit-2 path of the command-line tool: input that is wrong (an argument, an option, the
 * environment or the platforms file). The message says what was wrong and how to fix it, and
 * nothing has been written when it is raised.
 */
import type { z } from 'zod';
import { ConfigError } from '../config/env.js';

export const USAGE_EXIT_CODE = 2;

export class UsageError extends Error {
  constructor(
    /** What was wrong, one problem a line. */
    readonly problems: string[],
    /** How to fix it. */
    readonly hint?: string,
  ) {
    super(problems.join('\n'));
  }
}

/** `includeConfidential` → `--include-confidential`; an environment variable (`PUBLIC_URL`) keeps its name. */
function flag(key: PropertyKey): string {
  const name = String(key);
  return /^[A-Z0-9_]+$/.test(name) ? name : `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Parses raw command-line input with `schema`; each problem is reported under its option name
 * (`--since: …`). `hint` is added after the problems.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, hint?: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(flag).join(', ')}`;
    return issue.path.length ? `${flag(issue.path[0]!)}: ${issue.message}` : issue.message;
  });
  throw new UsageError(problems, hint);
}

/** Writes the message of an input error to stderr; returns its exit code, or undefined for any other error. */
export function reportInputError(error: unknown, command: string, stderr: NodeJS.WritableStream): number | undefined {
  if (error instanceof UsageError) {
    const lines = error.problems.map((p) => `${command}: ${p}`);
    stderr.write(`${lines.join('\n')}\n${error.hint ? `${error.hint}\n` : ''}Run \`${command} --help\` for usage.\n`);
    return USAGE_EXIT_CODE;
  }
  if (error instanceof ConfigError) {
    stderr.write(`${command}: ${error.message}\nFix the environment (see .env.example) or the platforms file, then run it again.\n`);
    return USAGE_EXIT_CODE;
  }
  return undefined;
}
