/** practicesOfWeek: what a weekly digest's section "new practices and assessments" is given. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsFile } from '../../src/config/platforms.js';
import { identify, setProfile } from '../../src/core/members.js';
import { assessPractice, AssessmentInput } from '../../src/core/practices/assessments.js';
import { createPractice, PracticeInput } from '../../src/core/practices/practices.js';
import { practicesOfWeek } from '../../src/core/practices/week.js';
import { openDb, type PrismaClient } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { PLATFORMS_FILE } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-practices-week-'));
let db: PrismaClient;
const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  const file = join(tmp, 'week.db');
  await migrate(file);
  db = openDb(file);
  const platforms = loadPlatformsFile(PLATFORMS_FILE);
  const [fr, uk, se] = ['FR', 'UK', 'SE'].map((id) => platforms.find((p) => p.id === id)!);
  const ana = await setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T', externalId: 'U1' })).id, { actorType: 'union', country: 'FR', language: 'fr' });
  const sam = await setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T', externalId: 'U2' })).id, { actorType: 'employer', country: 'UK', language: 'en' });
  const eva = await setProfile(db, (await identify(db, { channel: 'teams', workspace: 'T', externalId: 'E1' })).id, { actorType: 'expert', country: 'SE', language: 'sv' });
  const practice = (platform: typeof fr, author: typeof ana, title: string, country: string) =>
    createPractice(db, { platform: platform!, author, input: PracticeInput.parse({ title, description: 'd', country, frame: 'f', actors: ['union'] }) });

  const old = await practice(uk, sam, 'Older UK pool', 'UK'); // P-1, last week
  const ukNew = await practice(uk, sam, 'Transfer pool', 'UK'); // P-2, this week
  const frNew = await practice(fr, ana, 'Skills pact', 'FR'); // P-3, this week
  await db.practice.update({ where: { id: old.id }, data: { createdAt: at('2026-11-18T10:00:00Z') } });
  await db.practice.update({ where: { id: ukNew.id }, data: { createdAt: at('2026-11-24T10:00:00Z') } });
  await db.practice.update({ where: { id: frNew.id }, data: { createdAt: at('2026-11-25T10:00:00Z') } });

  const assess = async (ref: string, country: string, member: typeof ana, platform: typeof fr, verdict: string, createdAt: string, updatedAt: string) => {
    const { assessment } = await assessPractice(db, {
      ref, country, member, platform: platform!,
      input: AssessmentInput.parse({ verdict, hindering: 'h', helping: 'x', carriers: verdict === 'not-transferable' ? [] : ['union'] }),
    });
    await db.practiceAssessment.update({ where: { id: assessment.id }, data: { createdAt: at(createdAt), updatedAt: at(updatedAt) } });
  };
  await assess('P-1', 'FR', ana, fr, 'with-adaptation', '2026-11-10T10:00:00Z', '2026-11-26T10:00:00Z'); // changed this week
  await assess('P-2', 'SE', eva, se, 'as-is', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z'); // new this week
  await assess('P-3', 'SE', eva, se, 'not-transferable', '2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z'); // new, of FR's practice
  await assess('P-3', 'UK', sam, uk, 'as-is', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'); // before the week
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(tmp, { recursive: true, force: true });
});

describe('practicesOfWeek', () => {
  it('everything in the span: new practices newest first, assessments made or changed, counts per verdict', async () => {
    const week = await practicesOfWeek(db, { from: FROM, to: TO });
    expect(week.practices.map((p) => [p.ref, p.platformId, p.authorActorType])).toEqual([
      ['P-3', 'FR', 'union'],
      ['P-2', 'UK', 'employer'],
    ]);
    expect(week.assessments.map((a) => [a.practiceRef, a.country, a.verdict, a.changed, a.assessorActorType])).toEqual([
      ['P-3', 'SE', 'not-transferable', false, 'expert'],
      ['P-2', 'SE', 'as-is', false, 'expert'],
      ['P-1', 'FR', 'with-adaptation', true, 'union'],
    ]);
    expect(week.counts).toEqual({ practices: 2, assessments: 3, byVerdict: { 'as-is': 1, 'with-adaptation': 1, 'not-transferable': 1 } });
    expect(week.more).toEqual({ practices: 0, assessments: 0 });
  });

  it("one platform: its practices and the assessments of them, plus (with `country`) those made for its country", async () => {
    const uk = await practicesOfWeek(db, { platformId: 'UK', from: FROM, to: TO });
    expect(uk.practices.map((p) => p.ref)).toEqual(['P-2']);
    expect(uk.assessments.map((a) => `${a.practiceRef}:${a.country}`)).toEqual(['P-2:SE', 'P-1:FR']);

    const fr = await practicesOfWeek(db, { platformId: 'FR', country: 'FR', from: FROM, to: TO });
    expect(fr.practices.map((p) => p.ref)).toEqual(['P-3']);
    expect(fr.assessments.map((a) => `${a.practiceRef}:${a.country}`)).toEqual(['P-3:SE', 'P-1:FR']);

    const top = await practicesOfWeek(db, { platformIds: ['FR', 'UK'], from: FROM, to: TO, top: 1 });
    expect(top.practices).toHaveLength(1);
    expect(top.more).toEqual({ practices: 1, assessments: 2 });
    expect(top.counts.assessments).toBe(3);
  });
});
