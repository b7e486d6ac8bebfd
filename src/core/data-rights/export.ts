/**
 * `me export`: everything Passerelle holds about one member, as one JSON document (UTF-8, indented,
 * `passerelle-my-data-<date>.json`). What is "about them" is what names them or can be linked to
 * them: their profile; what they wrote or created (observations, withdrawn ones too, cases, clause
 * versions, amendments and decisions, exchanges, minutes, practices, assessments, case indicators);
 * their ballots — named ones, and anonymous ones while the vote is open (the vote's secret still links
 * them; once it is closed the secret is gone and nothing does); their working groups; their exchange
 * answers; their parked steps; and the messages queued for their direct conversation with the bot
 * (summaries: an earlier export's file is not copied into the next one).
 */
import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../../db/client.js';
import { clauseRef } from '../clauses/numbering.js';
import { directConversation } from '../direct.js';
import { DIMENSIONS } from '../vocabulary.js';

export const EXPORT_FORMAT = 'passerelle-member-data';
export const EXPORT_VERSION = 1;
export const EXPORT_MIME = 'application/json';

export const exportFileName = (at: Date) => `passerelle-my-data-${at.toISOString().slice(0, 10)}.json`;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The document; `JSON.stringify(await memberData(…), null, 2)` is the file. */
export async function memberData(db: PrismaClient, memberId: number, now = new Date()) {
  const m = await db.member.findUniqueOrThrow({ where: { id: memberId } });
  const dm = m.forgottenAt ? undefined : directConversation(m);

  const observations = await db.observation.findMany({ where: { authorId: m.id }, include: { case: { select: { ref: true } }, dimensions: true }, orderBy: { id: 'asc' } });
  const cases = await db.case.findMany({ where: { createdById: m.id }, orderBy: { id: 'asc' } });

  // Ballots: named ones under the member id; anonymous ones of open votes under the vote's HMAC.
  const named = await db.ballot.findMany({ where: { voterKey: String(m.id), vote: { anonymous: false } }, include: { vote: { include: { clause: true } } } });
  const openAnonymous = await db.vote.findMany({ where: { anonymous: true, status: 'open', secret: { not: null } }, select: { id: true, secret: true } });
  const anonymous = openAnonymous.length
    ? await db.ballot.findMany({
        where: { OR: openAnonymous.map((v) => ({ voteId: v.id, voterKey: createHmac('sha256', v.secret!).update(String(m.id)).digest('hex') })) },
        include: { vote: { include: { clause: true } } },
      })
    : [];
  const ballots = [...named, ...anonymous].sort((a, b) => a.castAt.getTime() - b.castAt.getTime());

  const memberships = await db.groupMembership.findMany({ where: { memberId: m.id }, include: { group: true }, orderBy: { groupId: 'asc' } });
  const convened = await db.workingGroup.findMany({ where: { convenorId: m.id }, orderBy: { id: 'asc' } });

  const clausesCreated = await db.clause.findMany({ where: { createdById: m.id }, orderBy: { id: 'asc' } });
  const versions = await db.clauseVersion.findMany({ where: { authorId: m.id }, include: { clause: true }, orderBy: { id: 'asc' } });
  const amendments = await db.amendment.findMany({ where: { authorId: m.id }, include: { clause: true }, orderBy: { id: 'asc' } });
  const decisions = await db.amendment.findMany({ where: { decidedById: m.id }, include: { clause: true }, orderBy: { id: 'asc' } });
  const votesOpened = await db.vote.findMany({ where: { openedById: m.id }, include: { clause: true }, orderBy: { id: 'asc' } });

  const exchangesOrganised = await db.exchange.findMany({ where: { organiserId: m.id }, orderBy: { id: 'asc' } });
  const minutes = await db.exchange.findMany({ where: { minutesById: m.id }, orderBy: { id: 'asc' } });
  const answers = await db.exchangeAnswer.findMany({ where: { memberId: m.id }, include: { slot: true }, orderBy: { slotId: 'asc' } });

  const practices = await db.practice.findMany({ where: { createdById: m.id }, orderBy: { id: 'asc' } });
  const assessments = await db.practiceAssessment.findMany({ where: { assessorId: m.id }, include: { practice: { select: { ref: true } } }, orderBy: { id: 'asc' } });
  const indicators = await db.caseIndicator.findMany({ where: { recordedById: m.id }, orderBy: { id: 'asc' } });
  const indicatorCases = new Map(
    (await db.case.findMany({ where: { id: { in: [...new Set(indicators.map((i) => i.caseId))] } }, select: { id: true, ref: true } })).map((c) => [c.id, c.ref]),
  );

  const pending = await db.pendingAction.findMany({ where: { memberId: m.id }, orderBy: { createdAt: 'asc' } });
  const direct = dm ? await db.outboxMessage.findMany({ where: { channel: m.channel, conversationId: dm }, orderBy: { id: 'asc' } }) : [];

  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    about: 'Everything Passerelle holds about you. Ask for it to be erased with the command `me forget`.',
    profile: {
      channel: m.channel,
      workspace: m.workspace,
      chatUserId: m.externalId,
      displayName: m.displayName,
      actorType: m.actorType,
      organisation: m.organisation,
      country: m.country,
      language: m.language,
      profileSetAt: iso(m.profileSetAt),
      firstSeenAt: iso(m.createdAt),
      updatedAt: iso(m.updatedAt),
    },
    observations: observations.map((o) => ({
      id: o.id,
      platform: o.platformId,
      text: o.text,
      dimensions: DIMENSIONS.filter((d) => o.dimensions.some((r) => r.dimension === d)),
      stage: o.stage,
      case: o.case?.ref ?? null,
      innovative: o.innovative,
      confidentiality: o.confidentiality,
      language: o.language,
      postedIn: { channel: o.channel, conversation: o.conversationId },
      sourceLink: o.sourceLink,
      createdAt: iso(o.createdAt),
      editedAt: iso(o.editedAt),
      withdrawnAt: iso(o.withdrawnAt),
    })),
    casesCreated: cases.map(({ id: _id, createdById: _by, ...c }) => ({
      ...c,
      announcedOn: iso(c.announcedOn),
      effectStart: iso(c.effectStart),
      effectEnd: iso(c.effectEnd),
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
    })),
    ballots: ballots.map((b) => ({
      vote: b.voteId,
      clause: clauseRef(b.vote.clause),
      anonymous: b.vote.anonymous,
      voteStatus: b.vote.status,
      choice: b.choice,
      reason: b.reason,
      castAt: iso(b.castAt),
      updatedAt: iso(b.updatedAt),
    })),
    workingGroups: memberships.map((g) => ({
      id: g.groupId,
      name: g.group.name,
      platform: g.group.platformId ?? 'cross-border',
      convenor: g.group.convenorId === m.id,
      addedAt: iso(g.addedAt),
    })),
    workingGroupsConvened: convened.map((g) => ({ id: g.id, name: g.name, platform: g.platformId ?? 'cross-border', createdAt: iso(g.createdAt) })),
    clausesCreated: clausesCreated.map((c) => ({ clause: clauseRef(c), status: c.status, createdAt: iso(c.createdAt) })),
    clauseVersions: versions.map((v) => ({ clause: clauseRef(v.clause), version: v.version, title: v.title, text: v.text, rationale: v.rationale, createdAt: iso(v.createdAt) })),
    amendments: amendments.map((a) => ({ id: a.id, clause: clauseRef(a.clause), baseVersion: a.baseVersion, text: a.text, reason: a.reason, status: a.status, createdAt: iso(a.createdAt) })),
    amendmentDecisions: decisions.map((a) => ({ amendment: a.id, clause: clauseRef(a.clause), status: a.status, reason: a.decisionReason, decidedAt: iso(a.decidedAt) })),
    votesOpened: votesOpened.map((v) => ({ id: v.id, clause: clauseRef(v.clause), status: v.status, createdAt: iso(v.createdAt), closesAt: iso(v.closesAt) })),
    exchangesOrganised: exchangesOrganised.map((x) => ({ id: x.id, topic: x.topic, platform: x.platformId, status: x.status, place: x.place, createdAt: iso(x.createdAt) })),
    exchangeAnswers: answers.map((a) => ({ exchange: a.slot.exchangeId, slot: a.slot.number, startsAt: iso(a.slot.startsAt), answer: a.answer, platform: a.platformId, updatedAt: iso(a.updatedAt) })),
    exchangeMinutes: minutes.map((x) => ({ exchange: x.id, topic: x.topic, minutes: x.minutes, recordedAt: iso(x.minutesAt) })),
    practices: practices.map((p) => ({ ref: p.ref, platform: p.platformId, title: p.title, description: p.description, createdAt: iso(p.createdAt) })),
    practiceAssessments: assessments.map((a) => ({
      practice: a.practice.ref,
      country: a.country,
      verdict: a.verdict,
      helping: a.helping,
      hindering: a.hindering,
      carriers: a.carriers,
      createdAt: iso(a.createdAt),
    })),
    caseIndicators: indicators.map(({ id: _id, recordedById: _by, caseId, ...i }) => ({
      case: indicatorCases.get(caseId) ?? null,
      ...i,
      measuredOn: iso(i.measuredOn),
      createdAt: iso(i.createdAt),
    })),
    pendingSteps: pending.map((p) => ({ kind: p.kind, payload: p.payload, createdAt: iso(p.createdAt), expiresAt: iso(p.expiresAt) })),
    directMessages: direct.map((d) => ({
      key: d.messageKey,
      status: d.status,
      summary: (d.view as { summary?: string } | null)?.summary ?? null,
      queuedAt: iso(d.createdAt),
      sentAt: iso(d.sentAt),
    })),
  };
}

export type MemberData = Awaited<ReturnType<typeof memberData>>;

/** The document as the file's text. */
export async function memberDataFile(db: PrismaClient, memberId: number, now = new Date()): Promise<string> {
  return `${JSON.stringify(await memberData(db, memberId, now), null, 2)}\n`;
}
