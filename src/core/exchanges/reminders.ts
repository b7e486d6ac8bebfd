/**
 * The reminders of a confirmed exchange, 24 hours and 1 hour before it starts, in every taking-part
 * channel (each in its own zone). Registered with the scheduler at confirmation and again at start-up;
 * the scheduler runs each once across restarts and processes, and a reminder already in a channel is
 * never posted there again (cards.ts), so a job run twice posts nothing new.
 *
 * A reminder is skipped when it makes no sense any more: the exchange was cancelled, it was confirmed
 * after the reminder's time (a 24-hour reminder for an exchange confirmed 3 hours ahead), or the bot
 * was down past it (the 24-hour one once the 1-hour one is due, either once the exchange has begun).
 */
import type { PrismaClient } from '../../db/client.js';
import type { Logger } from '../../log.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { ReminderKind } from '../../../templates/exchange-views.js';
import type { PlatformDirectory } from '../platforms.js';
import { queueReminder, type Links } from './cards.js';

const HOUR = 3_600_000;
export const REMINDERS: ReadonlyArray<{ kind: ReminderKind; beforeMs: number }> = [
  { kind: '24h', beforeMs: 24 * HOUR },
  { kind: '1h', beforeMs: HOUR },
];

export interface ReminderDeps {
  db: PrismaClient;
  platforms: PlatformDirectory;
  scheduler: Scheduler;
  links: Links;
}

export const reminderJob = (id: number, kind: ReminderKind) => `exchange-reminder:${id}:${kind}`;

/** Posts reminder `kind` of exchange `id` if it is still due; returns whether it was queued. */
export async function remind(deps: Omit<ReminderDeps, 'scheduler'>, id: number, kind: ReminderKind, now: Date): Promise<boolean> {
  return deps.db.$transaction(async (tx) => {
    const x = await tx.exchange.findUnique({ where: { id } });
    if (!x || x.status !== 'confirmed' || !x.startsAt || !x.confirmedAt) return false;
    const at = x.startsAt.getTime() - REMINDERS.find((r) => r.kind === kind)!.beforeMs;
    if (at < x.confirmedAt.getTime()) return false;
    // Too late for this one: the exchange has begun, or (24 h) the 1-hour reminder is due already.
    const tooLate = kind === '24h' ? x.startsAt.getTime() - HOUR : x.startsAt.getTime();
    if (now.getTime() >= tooLate) return false;
    await queueReminder(tx, deps.platforms, id, deps.links, kind);
    return true;
  });
}

/** Registers the reminders of a confirmed exchange that fall after its confirmation. */
export function scheduleReminders(deps: ReminderDeps, x: { id: number; startsAt: Date | null; confirmedAt: Date | null }): void {
  if (!x.startsAt || !x.confirmedAt) return;
  for (const { kind, beforeMs } of REMINDERS) {
    const when = new Date(x.startsAt.getTime() - beforeMs);
    if (when < x.confirmedAt) continue;
    const job = reminderJob(x.id, kind);
    deps.scheduler.cancel(job);
    deps.scheduler.at(job, when, async () => {
      await remind(deps, x.id, kind, deps.scheduler.now());
    });
  }
}

/** At start-up: the reminders of every confirmed exchange not yet begun (one missed while down runs now, if still useful). */
export async function scheduleConfirmedExchanges(deps: ReminderDeps & { log: Logger }): Promise<number> {
  const confirmed = await deps.db.exchange.findMany({ where: { status: 'confirmed', startsAt: { gt: deps.scheduler.now() } }, select: { id: true, startsAt: true, confirmedAt: true } });
  for (const x of confirmed) scheduleReminders(deps, x);
  if (confirmed.length) deps.log.info({ exchanges: confirmed.map((x) => x.id) }, 'exchange reminders scheduled');
  return confirmed.length;
}
