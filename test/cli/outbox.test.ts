/**
 * `passerelle outbox`: what the secretariat reads about the messages for the chat channels — run as
 * the real launcher on a seeded database, with the shipped platforms file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { passerelle } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-outbox-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dbFile = join(tmp, 'outbox.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
const view = { summary: 'card', blocks: [] };
const ids: Record<string, number> = {};

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const add = async (name: string, data: Record<string, unknown>) => {
      const row = await db.outboxMessage.create({ data: { channel: 'slack', locale: 'en', view, ...data } as never });
      ids[name] = row.id;
    };
    await add('oldSent', { conversationId: 'C01FRANCE', messageKey: 'observation:1', status: 'sent', attempts: 1, createdAt: new Date('2026-03-01T09:00:00Z'), sentAt: new Date('2026-03-01T09:00:01Z') });
    await add('oldFailed', { conversationId: 'C01GERMANY', messageKey: 'vote:3', status: 'failed', attempts: 1, lastError: 'channel_not_found', createdAt: new Date('2026-03-02T10:00:00Z') });
    await add('pending', {
      conversationId: 'C01UNITEDK',
      messageKey: 'digest:UK:2026-W14',
      status: 'pending',
      attempts: 2,
      lastError: 'rate limited',
      createdAt: new Date('2026-03-30T07:00:00Z'),
      nextAttemptAt: new Date('2026-03-30T07:00:31Z'),
    });
    await add('direct', { conversationId: 'dm:T1:U42', messageKey: 'reminder:7', status: 'failed', attempts: 4, lastError: 'HTTP 503\nupstream  timed out', createdAt: new Date('2026-03-30T08:00:00Z') });
    await add('teams', { channel: 'teams', conversationId: 'passerelle-demo-chat', messageKey: 'observation:9', status: 'sent', attempts: 1, createdAt: new Date('2026-03-30T09:00:00Z'), sentAt: new Date('2026-03-30T09:00:02Z') });
    await add('unbound', { conversationId: 'C0NOWHERE', messageKey: 'observation:10', status: 'sent', attempts: 1, createdAt: new Date('2026-03-30T10:00:00Z'), sentAt: new Date('2026-03-30T10:00:01Z') });
  } finally {
    await db.$disconnect();
  }
});

const cells = (line: string) => line.split(/\s{2,}/);

describe('passerelle outbox', () => {
  it('lists every message, failed ones first then pending then sent, newest first in each, with a count per status', async () => {
    const { code, stdout, stderr } = await passerelle(['outbox'], vars);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(cells(lines[0]!)).toEqual(['ID', 'CHANNEL', 'CONVERSATION', 'PLATFORM', 'KEY', 'STATUS', 'ATTEMPTS', 'CREATED', 'SENT', 'LAST ERROR']);
    expect(lines.slice(1, -1).map(cells)).toEqual([
      [String(ids.direct), 'slack', 'dm:T1:U42', '(direct)', 'reminder:7', 'failed', '4', '2026-03-30T08:00:00Z', '-', 'HTTP 503 upstream timed out'],
      [String(ids.oldFailed), 'slack', 'C01GERMANY', 'DE', 'vote:3', 'failed', '1', '2026-03-02T10:00:00Z', '-', 'channel_not_found'],
      [String(ids.pending), 'slack', 'C01UNITEDK', 'UK', 'digest:UK:2026-W14', 'pending', '2', '2026-03-30T07:00:00Z', 'next try 2026-03-30T07:00:31Z', 'rate limited'],
      [String(ids.unbound), 'slack', 'C0NOWHERE', '-', 'observation:10', 'sent', '1', '2026-03-30T10:00:00Z', '2026-03-30T10:00:01Z', '-'],
      [String(ids.teams), 'teams', 'passerelle-demo-chat', 'DEMO', 'observation:9', 'sent', '1', '2026-03-30T09:00:00Z', '2026-03-30T09:00:02Z', '-'],
      [String(ids.oldSent), 'slack', 'C01FRANCE', 'FR', 'observation:1', 'sent', '1', '2026-03-01T09:00:00Z', '2026-03-01T09:00:01Z', '-'],
    ]);
    expect(lines.at(-1)).toBe('2 failed, 1 pending, 3 sent');
  });

  it('keeps one status with --status, counting them all; --since keeps those queued since then', async () => {
    const pending = await passerelle(['outbox', '--status', 'pending'], vars);
    expect(pending.code).toBe(0);
    const lines = pending.stdout.trimEnd().split('\n');
    expect(lines.slice(1, -1).map((l) => cells(l)[0])).toEqual([String(ids.pending)]);
    expect(lines.at(-1)).toBe('2 failed, 1 pending, 3 sent');

    const recent = await passerelle(['outbox', '--status', 'failed', '--since', '2026-03-30'], vars);
    expect(recent.code).toBe(0);
    const recentLines = recent.stdout.trimEnd().split('\n');
    expect(recentLines.slice(1, -1).map((l) => cells(l)[0])).toEqual([String(ids.direct)]);
    expect(recentLines.at(-1)).toBe('1 failed, 1 pending, 2 sent (queued since 2026-03-30T00:00:00Z)');

    const none = await passerelle(['outbox', '--status', 'sent', '--since', '2026-03-30T12:30:00+02:00'], vars);
    expect(none.stdout).toContain('(no messages)');
    expect(none.stdout.trimEnd().split('\n').at(-1)).toBe('0 failed, 0 pending, 0 sent (queued since 2026-03-30T10:30:00Z)');
  });

  it('writes JSON with --format json: the counts and the messages with their full last error', async () => {
    const { code, stdout } = await passerelle(['outbox', '--format', 'json', '--status', 'failed'], vars);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.counts).toEqual({ failed: 2, pending: 1, sent: 3 });
    expect(out.messages).toEqual([
      {
        id: ids.direct,
        channel: 'slack',
        conversation: 'dm:T1:U42',
        platform: null,
        direct: true,
        key: 'reminder:7',
        status: 'failed',
        attempts: 4,
        lastError: 'HTTP 503\nupstream  timed out',
        createdAt: '2026-03-30T08:00:00Z',
        sentAt: null,
        nextAttemptAt: null,
      },
      expect.objectContaining({ id: ids.oldFailed, platform: 'DE', direct: false, lastError: 'channel_not_found' }),
    ]);
  });

  it('exits with 2 and says what to fix on a bad status, date, format or option, reading nothing', async () => {
    const status = await passerelle(['outbox', '--status', 'lost'], vars);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('passerelle outbox: --status: must be failed, pending, sent or all, not "lost"');
    expect(status.stderr).toContain('Run `passerelle outbox --help` for usage.');

    const since = await passerelle(['outbox', '--since', 'last week', '--format', 'csv'], vars);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('passerelle outbox: --since: "last week" is not a date; write a day as YYYY-MM-DD');
    expect(since.stderr).toContain('passerelle outbox: --format: must be table or json, not "csv"');
    expect(since.stdout).toBe('');

    const unknown = await passerelle(['outbox', '--platform', 'FR'], vars);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--platform'");
  });

  it('takes --since as a time ago in hours or days', async () => {
    const { code, stdout } = await passerelle(['outbox', '--since', '2d', '--format', 'json'], vars);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.messages).toEqual([]); // all seeded in March 2026
    expect(Math.abs(new Date(out.since).getTime() - (Date.now() - 2 * 86_400_000))).toBeLessThan(60_000);
  });
});
