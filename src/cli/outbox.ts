/**
 * `passerelle outbox`: what the outbox did with the messages for the chat channels (cards, digests,
 * reminders), for the secretariat: one line per message — its id, chat tool, conversation and the
 * platform that conversation belongs to (platforms file), key, status, attempts, last error, when
 * it was queued and sent — failed ones first, newest first within a status, then a summary of the
 * counts per status. A message is `failed` when it was given up (a permanent error, or still
 * failing 24 hours after it was queued; the bot's log has a line `outbox message given up`).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { CliIo } from './main.js';
import { openMigratedDb } from './database.js';
import { parseInput } from './usage-error.js';

export const OUTBOX_STATUSES = ['failed', 'pending', 'sent'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const OUTBOX_FORMATS = ['table', 'json'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const AGO = /^(\d{1,4})([hd])$/;

/** A day (midnight UTC), an ISO date-time with its offset, or a time ago: `36h`, `7d`. */
const Since = z
  .string()
  .trim()
  .refine((v) => AGO.test(v) || z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a date; write a day as YYYY-MM-DD (e.g. 2026-01-31, from midnight UTC), an ISO date-time (e.g. 2026-01-31T09:00:00+01:00), or a time ago in hours or days (e.g. 36h, 7d)`,
  })
  .transform((v) => {
    const ago = AGO.exec(v);
    if (ago) return new Date(Date.now() - Number(ago[1]) * (ago[2] === 'h' ? 3_600_000 : 86_400_000));
    return new Date(DAY.test(v) ? `${v}T00:00:00Z` : v);
  });

const OutboxOptions = z
  .object({
    status: z
      .enum([...OUTBOX_STATUSES, 'all'], { error: (issue) => `must be failed, pending, sent or all, not ${JSON.stringify(issue.input)}` })
      .default('all'),
    since: Since.optional(),
    format: z.enum(OUTBOX_FORMATS, { error: (issue) => `must be ${OUTBOX_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}` }).default('table'),
  })
  .strict();

/** One message of the outbox, as listed. */
export interface OutboxRecord {
  id: number;
  /** slack or teams. */
  channel: string;
  conversation: string;
  /** The platform the conversation is bound to in the platforms file; null for a direct message or an unbound conversation. */
  platform: string | null;
  /** A member's direct conversation with the bot (`dm:<workspace>:<member>`). */
  direct: boolean;
  key: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** For a pending message: when it is tried (again). */
  nextAttemptAt: string | null;
}

export type OutboxCounts = Record<OutboxStatus, number>;

const RANK: Record<string, number> = { failed: 0, pending: 1, sent: 2 };

/** Failed first, then pending, then sent; newest first within each. */
export function byConcern(a: Pick<OutboxRecord, 'status' | 'id'>, b: Pick<OutboxRecord, 'status' | 'id'>): number {
  return (RANK[a.status] ?? 3) - (RANK[b.status] ?? 3) || b.id - a.id;
}

/** `1 failed, 0 pending, 6 sent` (and the window, if any). */
export function summaryLine(counts: OutboxCounts, since?: Date): string {
  const line = OUTBOX_STATUSES.map((s) => `${counts[s]} ${s}`).join(', ');
  return since ? `${line} (queued since ${isoSeconds(since)})` : line;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const TABLE_COLUMNS: Array<[string, (r: OutboxRecord) => string]> = [
  ['ID', (r) => String(r.id)],
  ['CHANNEL', (r) => r.channel],
  ['CONVERSATION', (r) => r.conversation],
  ['PLATFORM', (r) => r.platform ?? (r.direct ? '(direct)' : '-')],
  ['KEY', (r) => r.key],
  ['STATUS', (r) => r.status],
  ['ATTEMPTS', (r) => String(r.attempts)],
  ['CREATED', (r) => r.createdAt],
  ['SENT', (r) => r.sentAt ?? (r.status === 'pending' && r.nextAttemptAt ? `next try ${r.nextAttemptAt}` : '-')],
  ['LAST ERROR', (r) => oneLine(r.lastError, 100)],
];

function oneLine(text: string | null, max: number): string {
  if (!text) return '-';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A plain-text table (columns padded with spaces), then the summary line. */
export function outboxTable(records: readonly OutboxRecord[], counts: OutboxCounts, since?: Date): string {
  const rows = [TABLE_COLUMNS.map(([title]) => title), ...records.map((r) => TABLE_COLUMNS.map(([, cell]) => cell(r)))];
  const widths = TABLE_COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  if (records.length === 0) lines.push('(no messages)');
  return `${lines.join('\n')}\n${summaryLine(counts, since)}\n`;
}

export function registerOutbox(program: Command, io: CliIo): void {
  program
    .command('outbox')
    .description('the messages for the chat channels (cards, digests, reminders) and what became of them: failed ones first, then a count per status')
    .option('--status <status>', 'failed, pending, sent or all (default: all)')
    .option('--since <when>', 'only those queued on or after this day (YYYY-MM-DD, UTC), ISO date-time, or time ago (36h, 7d)')
    .option('--format <format>', `${OUTBOX_FORMATS.join(' or ')} (default: table)`)
    .action(async (raw: unknown) => {
      const options = parseInput(OutboxOptions, raw);
      const env = loadEnv(io.env);

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ loadPlatformsConfig }, { PlatformDirectory }, { parseDirect }] = await Promise.all([
        import('../config/platforms.js'),
        import('../core/platforms.js'),
        import('../core/direct.js'),
      ]);
      const config = loadPlatformsConfig(env.PLATFORMS_FILE);
      const platforms = new PlatformDirectory(config.platforms, config.secretariat);
      const db = await openMigratedDb(env, io);
      let records: OutboxRecord[];
      const counts: OutboxCounts = { failed: 0, pending: 0, sent: 0 };
      try {
        const window = options.since ? { createdAt: { gte: options.since } } : {};
        const rows = await db.outboxMessage.findMany({
          where: { ...window, ...(options.status === 'all' ? {} : { status: options.status }) },
          // Not the view: the message itself is the chat's business.
          select: { id: true, channel: true, conversationId: true, messageKey: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true, nextAttemptAt: true },
        });
        for (const g of await db.outboxMessage.groupBy({ by: ['status'], where: window, _count: { _all: true } })) {
          if (g.status in counts) counts[g.status as OutboxStatus] = g._count._all;
        }
        records = rows
          .map((r) => ({
            id: r.id,
            channel: r.channel,
            conversation: r.conversationId,
            platform: (r.channel === 'slack' || r.channel === 'teams' ? platforms.boundTo(r.channel, r.conversationId)?.id : undefined) ?? null,
            direct: parseDirect(r.conversationId) !== undefined,
            key: r.messageKey,
            status: r.status,
            attempts: r.attempts,
            lastError: r.lastError,
            createdAt: isoSeconds(r.createdAt),
            sentAt: r.sentAt ? isoSeconds(r.sentAt) : null,
            nextAttemptAt: r.status === 'pending' ? isoSeconds(r.nextAttemptAt) : null,
          }))
          .sort(byConcern);
      } finally {
        await db.$disconnect();
      }
      const output =
        options.format === 'json'
          ? `${JSON.stringify({ counts, ...(options.since ? { since: options.since.toISOString() } : {}), messages: records }, null, 2)}\n`
          : outboxTable(records, counts, options.since);
      if (!io.stdout.write(output)) await once(io.stdout as Writable, 'drain');
    });
}
