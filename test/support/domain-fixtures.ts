/**
 * Domain objects built by hand for renderer tests: a platform, a member, cases and an
 * observation as the core hands them to templates, for a Slack or a Teams conversation.
 */
import type { Case, CaseSummary } from '../../src/core/cases.js';
import type { Member } from '../../src/core/members.js';
import type { ObservationDetails } from '../../src/core/observations.js';
import type { Platform } from '../../src/core/platforms.js';

const WHERE = {
  slack: { workspace: 'T01WORKSPACE', author: 'U01AUTHOR', conversation: 'C01FRANCE', link: 'https://acme.slack.com/archives/C01FRANCE/p1700000000000100' },
  teams: {
    workspace: 'tenant-1',
    author: '29:1AUTHOR',
    conversation: '19:france@thread.tacv2',
    link: 'https://teams.microsoft.com/l/message/19:france@thread.tacv2/1700000000000',
  },
} as const;

export function domainFixtures(channel: 'slack' | 'teams') {
  const where = WHERE[channel];

  const NOW = new Date('2026-03-02T09:30:00Z');

  const PLATFORM: Platform = {
    id: 'FR',
    name: 'Plateforme France',
    country: 'FR',
    international: false,
    languages: ['fr'],
    timezone: 'Europe/Paris',
    slack: { channels: channel === 'slack' ? [where.conversation] : [] },
    teams: { channels: channel === 'teams' ? [where.conversation] : [] },
  };

  function member(over: Partial<Member> = {}): Member {
    return {
      id: 7,
      channel,
      workspace: where.workspace,
      externalId: where.author,
      displayName: 'Camille Martin',
      actorType: 'union',
      organisation: 'CFDT Métallurgie',
      country: 'FR',
      language: 'fr',
      profileSetAt: NOW,
      forgottenAt: null,
      createdAt: NOW,
      updatedAt: NOW,
      ...over,
    };
  }

  function aCase(i: number, over: Partial<Case> = {}): Case {
    return {
      id: i,
      ref: `ACME-${String(2000 + i)}`,
      platformId: 'FR',
      company: `Acme Steel Works ${i} — a long company name to fill the line`,
      anonymised: false,
      groupName: 'Acme Group International',
      country: 'FR',
      nutsRegion: 'FRE1',
      naceSection: 'C',
      type: 'closure',
      affectedUnit: 'Plant of Dunkerque, cold rolling mill',
      headcountBefore: 1200,
      jobsAffected: 350,
      announcedOn: new Date('2026-01-15T00:00:00Z'),
      effectStart: new Date('2026-06-01T00:00:00Z'),
      effectEnd: new Date('2027-06-01T00:00:00Z'),
      sources: ['https://news.example/acme-closure', 'https://gov.example/press/123'],
      createdById: 7,
      createdAt: NOW,
      updatedAt: NOW,
      ...over,
    };
  }

  function summary(i: number, over: Partial<Case> = {}): CaseSummary {
    return { case: aCase(i, over), observations: 12, byDimension: { workers: 5, territory: 4, company: 3 } };
  }

  function observation(over: Partial<ObservationDetails> = {}): ObservationDetails {
    return {
      id: 42,
      platformId: 'FR',
      authorId: 7,
      text: "The regional council co-funded a reskilling cell for the plant's subcontractors",
      stage: 'preparation',
      caseId: 1,
      innovative: true,
      confidentiality: 'platform',
      language: 'en',
      channel,
      conversationId: where.conversation,
      sourceKey: null,
      sourceLink: where.link,
      createdAt: NOW,
      updatedAt: NOW,
      editedAt: NOW,
      withdrawnAt: null,
      author: member(),
      case: aCase(1),
      dimensions: [{ dimension: 'territory' }, { dimension: 'workers' }],
      ...over,
    };
  }

  return { NOW, PLATFORM, member, aCase, summary, observation };
}

/** A text of exactly `length` characters made of words and a few line breaks. */
export function prose(length: number, seed = 1): string {
  let out = '';
  let i = seed;
  while (out.length < length) {
    i = (i * 48271) % 2147483647;
    const word = 'abcdefghijklmnopqrstuvwxyzéèà'.slice(i % 7, (i % 7) + 2 + (i % 9));
    out += out ? (i % 23 === 0 ? '\n' : ' ') + word : word;
  }
  return out.slice(0, length).replace(/\s$/, 'z');
}
