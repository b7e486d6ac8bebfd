/** An exchange with everything its cards and messages show, read in one place. */
import type { Db } from '../groups.js';
import type { Member } from '../../db/client.js';
import { nameOrFormer } from '../data-rights/former.js';
import { clauseRef } from '../clauses/numbering.js';
import { Refusal } from '../refusal.js';
import type { Answer } from './exchanges.js';

export type AgendaItem =
  | { kind: 'case'; ref: string; company: string; country: string; type: string }
  | { kind: 'observation'; id: number; platformId: string; text: string }
  | { kind: 'clause'; ref: string; title: string; status: string };

export interface SlotData {
  number: number;
  startsAt: Date;
  answers: Array<{ name: string; platformId: string; answer: Answer }>;
}

export interface TakeawayData {
  number: number;
  text: string;
  /** The observation filed on each platform for this takeaway. */
  observations: Record<string, number>;
}

export interface ExchangeData {
  id: number;
  topic: string;
  status: 'polling' | 'confirmed' | 'cancelled';
  organiser: string;
  organiserId: number;
  /** The platform it was proposed from. */
  platformId: string;
  platformIds: string[];
  durationMinutes: number;
  place: string;
  languages: string[];
  slots: SlotData[];
  /** The confirmed slot. */
  confirmed?: SlotData;
  items: AgendaItem[];
  icsToken: string;
  minutes?: { text: string; by: string; at: Date; takeaways: TakeawayData[] };
}

const nameOf = (m: Member | undefined) => (m ? nameOrFormer(m, `@${m.externalId}`) : '?');

export async function exchangeData(db: Db, id: number): Promise<ExchangeData> {
  const x = await db.exchange.findUnique({
    where: { id },
    include: {
      platforms: true,
      slots: { orderBy: { number: 'asc' }, include: { answers: { orderBy: { updatedAt: 'asc' } } } },
      items: { orderBy: { id: 'asc' } },
      takeaways: { orderBy: [{ number: 'asc' }, { platformId: 'asc' }] },
    },
  });
  if (!x) throw new Refusal('errors.unknownExchange', { id });
  const memberIds = new Set([x.organiserId, ...(x.minutesById ? [x.minutesById] : []), ...x.slots.flatMap((s) => s.answers.map((a) => a.memberId))]);
  const members = new Map((await db.member.findMany({ where: { id: { in: [...memberIds] } } })).map((m) => [m.id, m]));

  const caseIds = x.items.flatMap((i) => (i.caseId ? [i.caseId] : []));
  const observationIds = x.items.flatMap((i) => (i.observationId ? [i.observationId] : []));
  const clauseIds = x.items.flatMap((i) => (i.clauseId ? [i.clauseId] : []));
  const cases = new Map((await db.case.findMany({ where: { id: { in: caseIds } } })).map((c) => [c.id, c]));
  const observations = new Map((await db.observation.findMany({ where: { id: { in: observationIds } } })).map((o) => [o.id, o]));
  const clauses = new Map(
    (await db.clause.findMany({ where: { id: { in: clauseIds } }, include: { versions: { orderBy: { version: 'desc' }, take: 1 } } })).map((c) => [c.id, c]),
  );
  const items: AgendaItem[] = [];
  for (const i of x.items) {
    const c = i.caseId ? cases.get(i.caseId) : undefined;
    const o = i.observationId ? observations.get(i.observationId) : undefined;
    const cl = i.clauseId ? clauses.get(i.clauseId) : undefined;
    if (c) items.push({ kind: 'case', ref: c.ref, company: c.company, country: c.country, type: c.type });
    if (o) items.push({ kind: 'observation', id: o.id, platformId: o.platformId, text: o.text });
    if (cl) items.push({ kind: 'clause', ref: clauseRef(cl), title: cl.versions[0]?.title ?? '', status: cl.status });
  }

  const slots: SlotData[] = x.slots.map((s) => ({
    number: s.number,
    startsAt: s.startsAt,
    answers: s.answers.map((a) => ({ name: nameOf(members.get(a.memberId)), platformId: a.platformId, answer: a.answer as Answer })),
  }));

  let minutes: ExchangeData['minutes'];
  if (x.minutes !== null && x.minutesAt) {
    const texts = new Map((await db.observation.findMany({ where: { id: { in: x.takeaways.map((t) => t.observationId) } }, select: { id: true, text: true } })).map((o) => [o.id, o.text]));
    const takeaways: TakeawayData[] = [];
    for (const t of x.takeaways) {
      let entry = takeaways.find((e) => e.number === t.number);
      if (!entry) takeaways.push((entry = { number: t.number, text: texts.get(t.observationId) ?? '', observations: {} }));
      entry.observations[t.platformId] = t.observationId;
    }
    minutes = { text: x.minutes, by: nameOf(members.get(x.minutesById ?? -1)), at: x.minutesAt, takeaways };
  }

  return {
    id: x.id,
    topic: x.topic,
    status: x.status as ExchangeData['status'],
    organiser: nameOf(members.get(x.organiserId)),
    organiserId: x.organiserId,
    platformId: x.platformId,
    platformIds: x.platforms.map((p) => p.platformId),
    durationMinutes: x.durationMinutes,
    place: x.place,
    languages: x.languages as string[],
    slots,
    confirmed: slots.find((s) => x.confirmedSlotId !== null && x.slots.find((r) => r.id === x.confirmedSlotId)?.number === s.number),
    items,
    icsToken: x.icsToken,
    minutes,
  };
}
