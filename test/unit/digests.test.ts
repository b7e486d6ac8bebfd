/**
 * Digests without a database: the week a digest covers (ISO weeks, time zones, daylight saving),
 * the platforms file's `digest` field, and the split of a big digest into messages that each fit
 * Slack's 50 blocks and Teams' card budget, with nothing left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { fitsOneMessage } from '../../src/channels/fits.js';
import { blockCount, renderMessage } from '../../src/channels/slack/render.js';
import { fitsOneCard, renderCard } from '../../src/channels/teams/render.js';
import { ConfigError } from '../../src/config/env.js';
import { loadPlatformsConfig } from '../../src/config/platforms.js';
import { excerpt } from '../../src/core/digests/sections.js';
import type { DigestData, ObservationItem, PlatformObservations } from '../../src/core/digests/types.js';
import { isoWeek, lastWeek, pastWeek, weekSoFar } from '../../src/core/digests/window.js';
import { digestBlocks, digestViews, languageName } from '../../templates/digest-views.js';
import { translator } from '../../templates/i18n.js';
import { plain, type Block, type MessageView } from '../../templates/view.js';
import { collectBlockKitViolations } from '../support/block-kit-limits.js';

const iso = (d: Date) => d.toISOString();

describe('the week of a digest', () => {
  it('a Monday 09:00 run in Paris covers the 7 days before it, named by the week it looks back on', () => {
    const w = pastWeek(new Date('2026-11-30T08:00:00Z'), 'Europe/Paris');
    expect([iso(w.from), iso(w.to), iso(w.previousFrom), iso(w.previousTo)]).toEqual([
      '2026-11-23T08:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
      '2026-11-16T08:00:00.000Z',
      '2026-11-23T08:00:00.000Z',
    ]);
    expect(w.week).toBe('2026-W48');
    expect(w.partial).toBe(false);
  });

  it('keeps 09:00 local across a change of clocks (the week after the last Sunday of October is 169 hours long)', () => {
    const w = pastWeek(new Date('2026-11-02T08:00:00Z'), 'Europe/Paris'); // Monday 2 Nov 09:00 CET
    expect(iso(w.from)).toBe('2026-10-26T08:00:00.000Z'); // Monday 26 Oct 09:00 CET
    const w2 = pastWeek(new Date('2026-10-26T08:00:00Z'), 'Europe/Paris'); // Monday 26 Oct 09:00 CET
    expect(iso(w2.from)).toBe('2026-10-19T07:00:00.000Z'); // Monday 19 Oct 09:00 CEST
    expect(w2.to.getTime() - w2.from.getTime()).toBe(169 * 3_600_000);
  });

  it('--week 2026-W48 is Monday 00:00 to Monday 00:00 in the platform\'s zone; a week its year lacks is refused', () => {
    const w = isoWeek('2026-W48', 'Europe/London')!;
    expect([iso(w.from), iso(w.to), w.week]).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-W48']);
    expect(iso(isoWeek('2026-W48', 'Europe/Paris')!.from)).toBe('2026-11-22T23:00:00.000Z');
    expect(isoWeek('2026-W53', 'Europe/Paris')?.week).toBe('2026-W53'); // 2026 has 53 ISO weeks
    expect(isoWeek('2025-W53', 'Europe/Paris')).toBeUndefined();
    expect(isoWeek('2026-W00', 'Europe/Paris')).toBeUndefined();
    expect(isoWeek('2026-48', 'Europe/Paris')).toBeUndefined();
  });

  it('the week so far runs from Monday 00:00 to now, compared with the same days of the week before; the last week is the last complete one', () => {
    const now = new Date('2026-11-25T10:30:00Z'); // Wednesday
    const w = weekSoFar(now, 'Europe/Paris');
    expect([iso(w.from), iso(w.to), iso(w.previousFrom), iso(w.previousTo), w.week, w.partial]).toEqual([
      '2026-11-22T23:00:00.000Z',
      '2026-11-25T10:30:00.000Z',
      '2026-11-15T23:00:00.000Z',
      '2026-11-18T10:30:00.000Z',
      '2026-W48',
      true,
    ]);
    expect(lastWeek(now, 'Europe/Paris').week).toBe('2026-W47');
  });
});

describe('the platforms file: digest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-digest-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const shipped = () => JSON.parse(fs.readFileSync('config/platforms.json', 'utf8')) as { platforms: Array<Record<string, unknown>> };
  const load = (file: object) => {
    const at = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(at, JSON.stringify(file));
    return loadPlatformsConfig(at);
  };
  const problems = (file: object): string[] => {
    try {
      load(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('expected the file to be refused');
  };

  it('is optional (Monday 09:00), may be turned off with false, or given a cron; the demo platform is marked', () => {
    const file = shipped();
    file.platforms[0]!.digest = { cron: '30 8 * * 1' };
    file.platforms[1]!.digest = false;
    file.platforms[2]!.digest = {};
    const { platforms } = load(file);
    expect(platforms.map((p) => p.digest)).toEqual([{ cron: '30 8 * * 1' }, false, { cron: '0 9 * * 1' }, undefined, undefined, undefined, undefined]);
    expect(platforms.filter((p) => p.demo).map((p) => p.id)).toEqual(['DEMO']);
  });

  it('refuses a cron expression that is not one, naming the platform and the field', () => {
    const file = shipped();
    file.platforms[2]!.digest = { cron: '0 9 * *' };
    expect(problems(file)).toEqual([expect.stringMatching(/^platforms\[2\]\.digest\.cron: platform DE's digest: invalid cron expression "0 9 \* \*"/)]);
    file.platforms[2]!.digest = { cron: '0 25 * * 1' };
    expect(problems(file)[0]).toMatch(/^platforms\[2\]\.digest\.cron: platform DE's digest: invalid cron expression "0 25 \* \* 1"/);
  });

  it('refuses anything else than false or an object with a cron', () => {
    const file = shipped();
    file.platforms[0]!.digest = 'monday';
    expect(problems(file)).toEqual(['platforms[0].digest: must be false or an object such as { "cron": "0 9 * * 1" }']);
    file.platforms[0]!.digest = { cron: '0 9 * * 1', at: 'noon' };
    expect(problems(file)[0]).toMatch(/^platforms\[0\]\.digest/);
  });
});

// ---- a big digest --------------------------------------------------------------------------------

const NOW = new Date('2026-11-30T08:00:00Z');
const trend = (current: number, previous = 0) => ({ current, previous });
/** Text that weighs: Markdown and Slack characters to escape, long words, emoji. */
const heavy = (n: number) => `#${n} *bold?* _no_ [link](x) <@U123> & ${'<tag> `code` 🚀 '.repeat(40)}`;

function observation(id: number, platformId: string, language: string): ObservationItem {
  return {
    id,
    platformId,
    excerpt: excerpt(heavy(id)),
    language,
    dimensions: ['workers', 'territory', 'company'],
    innovative: id % 2 === 0,
    confidentiality: 'public',
    stage: 'preparation',
    caseRef: `CASE-${id}`,
    actorType: 'employment-service',
    createdAt: NOW,
    sourceLink: `https://example.org/${id}`,
  };
}

function bigDigest(platforms: string[], itemsPer: number): DigestData {
  const languages = ['fr', 'de', 'sv', 'nl', 'en'];
  let id = 0;
  const perPlatform: PlatformObservations[] = platforms.map((p, i) => ({
    platformId: p,
    platformName: `Platform ${p} with a long name`,
    total: itemsPer + 3,
    innovative: 2,
    byDimension: { workers: 5, territory: 4, company: 3 },
    items: Array.from({ length: itemsPer }, () => observation(++id, p, languages[i % languages.length]!)),
    more: 3,
  }));
  const dims = { workers: trend(5, 2), territory: trend(1, 4), company: trend(0) };
  return {
    platformId: 'INT',
    platformName: 'International platform',
    international: true,
    audience: 'channel',
    window: pastWeek(NOW, 'Europe/Brussels'),
    platformIds: platforms,
    empty: false,
    sections: {
      figures: {
        platforms: platforms.map((p) => ({ platformId: p, platformName: `Platform ${p}`, observations: trend(9, 3), innovative: trend(2, 2), byDimension: dims, newCases: trend(1), votesOpened: trend(0, 1), votesClosed: trend(1) })),
      },
      observations: { platforms: perPlatform },
      cases: {
        moved: Array.from({ length: 8 }, (_, i) => ({ ref: `CASE-${i}`, company: heavy(i).slice(0, 120), platformId: 'FR', observations: i, created: i % 2 === 0, updated: false })),
        movedMore: 12,
        unbalanced: Array.from({ length: 8 }, (_, i) => ({
          ref: `CASE-${i}`,
          company: `Company ${i}`,
          platformId: 'INT',
          missingDimensions: ['territory'],
          missingVoices: ['employers', 'public-authorities'],
          couldSpeak: [{ voice: 'employers', members: [{ channel: 'slack', externalId: 'U0X', displayName: 'X' }, { channel: 'teams', externalId: 'aad-y', displayName: 'Y' }] }],
        })),
        unbalancedMore: 4,
      },
      votes: {
        opened: { items: Array.from({ length: 8 }, (_, i) => ({ voteId: i, ref: `INT-1.${i}`, title: heavy(i).slice(0, 100), closesAt: NOW, closedAt: null, outcome: null, cast: null, eligible: null })), more: 2 },
        closing: { items: [], more: 0 },
        closed: { items: [{ voteId: 99, ref: 'INT-2.1', title: 'Closed', closesAt: NOW, closedAt: NOW, outcome: 'adopted', cast: 3, eligible: 4 }], more: 0 },
      },
      exchanges: {
        proposed: { items: [{ id: 1, topic: 'Short-time work schemes', startsAt: null, platformIds: ['FR', 'DE'] }], more: 0 },
        confirmed: { items: [], more: 0 },
        upcoming: { items: [{ id: 2, topic: 'Transfer companies', startsAt: NOW, platformIds: ['DE', 'SE'] }], more: 0 },
      },
    },
  };
}

const textOfBlocks = (blocks: Block[]) =>
  blocks.map((b) => ('text' in b ? (typeof b.text === 'string' ? b.text : plain(b.text)) : b.type === 'fields' ? b.fields.map((f) => `${f.label} ${plain(f.value)}`).join(' ') : '')).join('\n');

describe('a digest too big for one message', () => {
  const t = translator('en');
  const data = bigDigest(['INT', 'FR', 'BE', 'DE', 'SE', 'UK', 'NL', 'AT'], 4);
  const whole = digestBlocks(t, data, 'en').flat();

  const check = (views: MessageView[]) => {
    expect(views.length).toBeGreaterThan(1);
    // Each message fits each channel whole: nothing for a renderer to leave out.
    for (const view of views) {
      expect(blockCount(view)).toBeLessThanOrEqual(50);
      expect(collectBlockKitViolations(renderMessage(view).blocks, 'message')).toEqual([]);
      expect(fitsOneCard(view)).toBe(true);
      expect(JSON.stringify(renderCard(view))).not.toContain('… (+');
    }
    // The blocks of the digest are all there, in order, once: the first message's head and "continued", each reply's "(n/total)" added.
    const [first, ...replies] = views;
    expect(plain((first!.blocks.at(-1) as unknown as { text: never }).text)).toBe(`Continued in the thread: ${replies.length} more message(s).`);
    const carried = [...first!.blocks.slice(0, -1), ...replies.flatMap((v, i) => {
      expect(plain((v.blocks[0] as unknown as { text: never }).text)).toBe(`International weekly digest — 2026-W48 (${i + 2}/${views.length})`);
      return v.blocks.slice(1);
    })];
    expect(carried).toEqual(whole);
  };

  it('is split with the exact measure of both renderers (the digest job\'s)', () => {
    check(digestViews(t, data, { language: 'en', fits: (v) => fitsOneMessage('slack', v) && fitsOneMessage('teams', v) }));
  });

  it('is split within the neutral budget by default (the command), which both renderers take whole', () => {
    check(digestViews(t, data, { language: 'en' }));
  });

  it('a small digest is one message, without "continued"', () => {
    const small = bigDigest(['FR'], 1);
    const { figures, observations } = small.sections;
    const views = digestViews(t, { ...small, international: false, platformId: 'FR', sections: { figures, observations } }, { language: 'en' });
    expect(views).toHaveLength(1);
    expect(textOfBlocks(views[0]!.blocks)).not.toContain('Continued');
  });
});

describe('digest words', () => {
  it('names an observation\'s language in the reader\'s language', () => {
    expect(languageName('fr', 'en')).toBe('French');
    expect(languageName('de', 'fr')).toBe('allemand');
    expect(languageName('sv', 'de')).toBe('Schwedisch');
  });

  it('quotes the start of a text on one line, cut at a word', () => {
    expect(excerpt('a\n\nb   c')).toBe('a b c');
    const cut = excerpt(`${'word '.repeat(100)}end`);
    expect(cut.length).toBeLessThanOrEqual(280);
    expect(cut.endsWith('word…')).toBe(true);
  });

  it('says "+3", "−2" or "=" against the week before, and dates the span in the platform\'s zone and language', () => {
    const data = bigDigest(['FR'], 1);
    const fr = textOfBlocks(digestBlocks(translator('fr'), { ...data, international: false, platformName: 'Plateforme France' }, 'fr').flat());
    expect(fr).toContain('Synthèse de la semaine — Plateforme France — 2026-W48');
    expect(fr).toContain('Du 23 nov. 2026 au 30 nov. 2026 (Europe/Brussels)');
    expect(fr).toContain('Observations 9 (+6)');
    expect(fr).toContain('Territoire 1 (−3)');
    expect(fr).toContain('Entreprise 0 (=)');
    expect(DateTime.fromJSDate(data.window.from, { zone: 'Europe/Brussels' }).weekday).toBe(1);
  });
});
