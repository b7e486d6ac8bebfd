/**
 * A whole week of activity on the platforms, built through the core as the commands would, for
 * the digest tests: members with profiles, cases, observations on FR, BE, DE, UK, SE (from Teams)
 * and INT on every dimension (innovative ones, public ones, one for the secretariat only, one of
 * the week before), a vote opened and closed on FR and one closing the week after.
 *
 * Everything is dated inside the 7 days before `due` (a Monday 09:00 in Paris), and the figures of
 * the week before have one observation of FR. Dates are set after the fact (the core stamps "now").
 */
import { DateTime } from 'luxon';
import { CaseInput, createCase } from '../../src/core/cases.js';
import { ClauseInput, createClause } from '../../src/core/clauses/clauses.js';
import { ClauseRef } from '../../src/core/clauses/numbering.js';
import { addMembers, createGroup } from '../../src/core/groups.js';
import { identify, setProfile, type Member } from '../../src/core/members.js';
import { fileObservation, ObservationInput, type Origin } from '../../src/core/observations.js';
import type { PlatformDirectory } from '../../src/core/platforms.js';
import type { ActorType, Country } from '../../src/core/vocabulary.js';
import { castBallot, closeVote, openVote } from '../../src/core/votes/votes.js';
import type { PrismaClient } from '../../src/db/client.js';
import { FAKE_TEAM_ID } from './fake-slack.js';
import { TEAMS_DEFAULTS } from './teams-activities.js';

export const SLACK_CHANNELS = { FR: 'C01FRANCE', BE: 'C01BELGIUM', DE: 'C01GERMANY', SE: 'C01SWEDEN', UK: 'C01UNITEDK', INT: 'C01INTL' } as const;
export const TEAMS_SE = TEAMS_DEFAULTS.channelId;

/** The next Monday 09:00 in Paris strictly after `now`. */
export function nextMondayNine(now: Date = new Date()): Date {
  const paris = DateTime.fromJSDate(now, { zone: 'Europe/Paris' });
  let monday = paris.startOf('week').set({ hour: 9 });
  if (monday <= paris) monday = monday.plus({ weeks: 1 });
  return monday.toJSDate();
}

/** The texts, to look for in the digests. */
export const TEXTS = {
  frInnovative: "La cellule de reclassement a été ouverte avant l'annonce, avec la région",
  frPublic: 'La direction a présenté un plan de continuité pour les sous-traitants',
  frSecretariat: 'Note confidentielle : le repreneur potentiel demande le silence',
  frLastWeek: "Premier contact avec l'inspection du travail",
  frRegion: 'Le conseil régional finance des formations qualifiantes',
  ukInnovative: 'The union secured paid time off for job search during the notice period',
  ukCouncil: 'The local council mapped the supply chain around the plant',
  deInnovative: 'Der Betriebsrat hat eine Transfergesellschaft ausgehandelt',
  beForem: 'Le Forem a ouvert une antenne sur le site',
  seInnovative: 'Omställningsavtalet gav stöd redan före uppsägningarna',
  intCompare: 'Comparing the early-warning systems of the five platforms',
} as const;

export interface SeededWeek {
  due: Date;
  members: Record<'alice' | 'bob' | 'carla' | 'uma' | 'dieter' | 'bea' | 'sven' | 'ian', Member>;
  observations: Record<keyof typeof TEXTS, number>;
  votes: { closed: number; open: number };
}

const DAY = 86_400_000;

export async function seedWeek(db: PrismaClient, platforms: PlatformDirectory, due: Date): Promise<SeededWeek> {
  const at = (daysBefore: number) => new Date(due.getTime() - daysBefore * DAY);
  const slack = (externalId: string, displayName: string, actorType: ActorType, country: Country, language: string) =>
    identify(db, { channel: 'slack', workspace: FAKE_TEAM_ID, externalId, displayName }).then((m) => setProfile(db, m.id, { actorType, country, language, organisation: undefined }));
  const members = {
    alice: await slack('U0ALICE', 'Alice Martin', 'union', 'FR', 'fr'),
    bob: await slack('U0BOB', 'Bob Durand', 'employer', 'FR', 'fr'),
    carla: await slack('U0CARLA', 'Carla Petit', 'local-authority', 'FR', 'fr'),
    uma: await slack('U0UMA', 'Uma Jones', 'union', 'UK', 'en'),
    dieter: await slack('U0DIETER', 'Dieter Weber', 'employer', 'DE', 'de'),
    bea: await slack('U0BEA', 'Béa Lambert', 'expert', 'BE', 'fr'),
    ian: await slack('U0IAN', 'Ian Clark', 'expert', 'UK', 'en'),
    sven: await identify(db, { channel: 'teams', workspace: TEAMS_DEFAULTS.tenantId, externalId: 'a1b2c3d4-0000-0000-0000-00000000005e', displayName: 'Sven Berg' }).then((m) =>
      setProfile(db, m.id, { actorType: 'union', country: 'SE', language: 'sv', organisation: undefined }),
    ),
  };

  const platform = (id: string) => platforms.get(id)!;
  const acme = await createCase(db, 'FR', members.alice.id, CaseInput.parse({ ref: 'ACME-2026', company: 'ACME Tyres', country: 'FR', type: 'closure' }));
  const ukco = await createCase(db, 'UK', members.uma.id, CaseInput.parse({ ref: 'UKCO-2026', company: 'UK Components', country: 'UK', type: 'relocation' }));
  await db.$executeRaw`UPDATE "Case" SET createdAt = ${at(3)}, updatedAt = ${at(3)} WHERE id = ${acme.id}`;
  await db.$executeRaw`UPDATE "Case" SET createdAt = ${at(60)}, updatedAt = ${at(60)} WHERE id = ${ukco.id}`;

  const observations = {} as SeededWeek['observations'];
  const observe = async (
    name: keyof typeof TEXTS,
    platformId: string,
    author: Member,
    input: Partial<ObservationInput> & { dimensions: ObservationInput['dimensions'] },
    daysBefore: number,
    where: Origin = { channel: 'slack', workspace: FAKE_TEAM_ID, conversationId: SLACK_CHANNELS[platformId as keyof typeof SLACK_CHANNELS] },
  ) => {
    const { observation } = await fileObservation(db, { platform: platform(platformId), author, origin: where, input: ObservationInput.parse({ text: TEXTS[name], ...input }) });
    await db.observation.update({ where: { id: observation.id }, data: { createdAt: at(daysBefore) } });
    observations[name] = observation.id;
  };
  await observe('frInnovative', 'FR', members.alice, { dimensions: ['workers', 'territory'], innovative: true, caseRef: 'ACME-2026', stage: 'preparation' }, 5);
  await observe('frPublic', 'FR', members.bob, { dimensions: ['company'], caseRef: 'ACME-2026', confidentiality: 'public' }, 4);
  await observe('frSecretariat', 'FR', members.alice, { dimensions: ['company'], caseRef: 'ACME-2026', confidentiality: 'secretariat' }, 3);
  await observe('frRegion', 'FR', members.carla, { dimensions: ['territory'] }, 2);
  await observe('frLastWeek', 'FR', members.bob, { dimensions: ['workers'] }, 10);
  await observe('ukInnovative', 'UK', members.uma, { dimensions: ['workers'], innovative: true, caseRef: 'UKCO-2026', confidentiality: 'public', language: 'en' }, 4);
  await observe('ukCouncil', 'UK', members.uma, { dimensions: ['territory'], language: 'en' }, 1);
  await observe('deInnovative', 'DE', members.dieter, { dimensions: ['workers'], innovative: true, confidentiality: 'public' }, 2);
  await observe('beForem', 'BE', members.bea, { dimensions: ['territory'] }, 3);
  await observe('seInnovative', 'SE', members.sven, { dimensions: ['workers'], innovative: true, confidentiality: 'public' }, 2, {
    channel: 'teams',
    workspace: TEAMS_DEFAULTS.tenantId,
    conversationId: TEAMS_SE,
  });
  await observe('intCompare', 'INT', members.ian, { dimensions: ['company'], language: 'en' }, 1);

  // FR's code: FR-2.1 voted and adopted during the week; FR-1.1 in a vote that closes the week after.
  const group = await createGroup(db, 'FR', members.alice, { name: 'Anticipation', scope: 'platform' });
  await addMembers(db, { platformId: 'FR', groupName: 'Anticipation', by: members.alice, mentions: ['U0BOB'], where: { channel: 'slack', workspace: FAKE_TEAM_ID } });
  await createClause(db, { platformId: 'FR', author: members.alice, input: ClauseInput.parse({ stage: 'preparation', title: 'Information précoce', text: 'Le CSE est informé tôt.', groupId: group.id }) });
  await createClause(db, { platformId: 'FR', author: members.alice, input: ClauseInput.parse({ stage: 'anticipation', title: 'Veille partagée', text: 'Une veille commune.', groupId: group.id }) });
  const settings = (closesAt: Date) => ({ rule: { kind: 'majority' } as never, eligibility: 'group' as const, anonymous: false, resultsHidden: false, reasonRequired: false, closesAt });
  const open = (ref: string, closesAt: Date) =>
    openVote(db, { ref: ClauseRef.parse(ref), by: members.alice, platform: platform('FR'), channel: 'slack', conversationId: SLACK_CHANNELS.FR, settings: settings(closesAt) });
  const closed = await open('FR-2.1', new Date(Math.max(Date.now(), at(2).getTime()) + 3_600_000));
  for (const who of [members.alice, members.bob]) await castBallot(db, { voteId: closed.id, member: who, choice: 'approve', platforms });
  await closeVote(db, platforms, closed.id, at(2));
  const later = await open('FR-1.1', new Date(due.getTime() + 2 * DAY));
  await db.vote.update({ where: { id: closed.id }, data: { createdAt: at(4) } });
  await db.vote.update({ where: { id: later.id }, data: { createdAt: at(1) } });

  // A practice described on FR during the week, assessed for the UK by a UK member.
  const practice = await db.practice.create({
    data: { ref: 'P-901', platformId: 'FR', title: 'Cellule de reclassement partagée', description: 'Une cellule commune à trois entreprises.', country: 'FR', frame: 'Accord de méthode', actors: ['union', 'employer'], createdById: members.alice.id, createdAt: at(3) },
  });
  await db.practiceAssessment.create({
    data: { practiceId: practice.id, country: 'UK', verdict: 'with-adaptation', hindering: 'No statutory works council.', carriers: ['union'], assessorId: members.uma.id, createdAt: at(2), updatedAt: at(2) },
  });

  return { due, members, observations, votes: { closed: closed.id, open: later.id } };
}
