import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsFile } from '../../src/config/platforms.js';
import { acceptAmendment, ClauseInput, createClause, proposeAmendment } from '../../src/core/clauses/clauses.js';
import { ClauseRef } from '../../src/core/clauses/numbering.js';
import { addMembers, createGroup } from '../../src/core/groups.js';
import { identify, setProfile } from '../../src/core/members.js';
import { PlatformDirectory } from '../../src/core/platforms.js';
import { castBallot, closeVote, openVote } from '../../src/core/votes/votes.js';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { passerelle, PLATFORMS_FILE } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-export-code-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dbFile = join(tmp, 'seeded.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
const SCRIPT = 'Inform the works council <script>alert("x")</script> & *early* _always_ # [link](http://x)';
let amendmentId = 0;

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const platforms = new PlatformDirectory(loadPlatformsFile(PLATFORMS_FILE));
    const fr = platforms.get('FR')!;
    const ana = await setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U01', displayName: 'Ana' })).id, {
      actorType: 'union',
      organisation: 'CGT',
      country: 'FR',
      language: 'fr',
    });
    const bob = await setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U02', displayName: 'Bob' })).id, {
      actorType: 'employer',
      organisation: 'Acme',
      country: 'FR',
      language: 'fr',
    });
    const group = await createGroup(db, 'FR', ana, { name: 'Anticipation', scope: 'platform' });
    await addMembers(db, { platformId: 'FR', groupName: 'Anticipation', by: ana, mentions: ['U02'], where: { channel: 'slack', workspace: 'T01' } });

    const clause = (stage: string, title: string, text: string, rationale?: string) =>
      createClause(db, { platformId: 'FR', author: ana, input: ClauseInput.parse({ stage, title, text, rationale, groupId: group.id }) });
    await clause('preparation', 'Early information', 'First text', 'Workers learn it <first>');
    await clause('preparation', 'Draft still', 'Not adopted yet');
    await clause('anticipation', 'Rejected one', 'Voted down');

    const ref = (r: string) => ClauseRef.parse(r);
    const amendment = await proposeAmendment(db, { ref: ref('FR-2.1'), author: bob, input: { text: SCRIPT, reason: 'Say *when* <b>' } });
    amendmentId = amendment.id;
    await acceptAmendment(db, { amendmentId: amendment.id, by: ana });

    const vote = async (r: string, rule: object, choices: Array<[typeof ana, string]>) => {
      const v = await openVote(db, {
        ref: ref(r),
        by: ana,
        platform: fr,
        channel: 'slack',
        conversationId: 'C01FRANCE',
        settings: { rule: rule as never, eligibility: 'group', anonymous: false, resultsHidden: false, reasonRequired: false, closesAt: new Date(Date.now() + 3_600_000) },
      });
      for (const [member, choice] of choices) await castBallot(db, { voteId: v.id, member, choice, platforms });
      return closeVote(db, platforms, v.id, new Date('2026-03-10T12:00:00Z'));
    };
    expect((await vote('FR-2.1', { kind: 'multiCollege', base: 'majority', threshold: 0.5, quorum: { share: 0.5 } }, [[ana, 'approve'], [bob, 'approve']]))?.outcome).toBe('adopted');
    expect((await vote('FR-1.1', { kind: 'majority' }, [[ana, 'reject'], [bob, 'reject']]))?.outcome).toBe('rejected');
  } finally {
    await db.$disconnect();
  }
});

describe('passerelle export code', () => {
  it('writes the code as Markdown: stages in order, adopted clauses with their record, no draft or rejected clause', async () => {
    const result = await passerelle(['export', 'code', 'fr'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const md = result.stdout;
    expect(md).toMatch(/^# Plateforme France: Code of conduct\n/);
    const headings = ['## Stage 1: Anticipation', '## Stage 2: Preparation', '## Stage 3: Implementation', '## Stage 4: Follow-up'].map((h) => md.indexOf(h));
    expect(headings.every((i) => i >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(md).toContain('### FR-2.1 Early information');
    expect(md).toContain('Adopted on 2026-03-10');
    expect(md).toContain('Rule: multi-college majority (every college must adopt), at least 50% in favour, abstentions counted; quorum 50% of eligible members in each college');
    expect(md).toContain('Tally: approve 2, reject 0, abstain 0; 2 of 2 eligible voted (100%)');
    expect(md).toMatch(/\| Employers \| adopted \| approve 1, reject 0, abstain 0 \| 1 of 1 eligible voted \(100%\) \|/);
    expect(md).toContain('| Employee representatives | adopted |');
    expect(md).toContain('| Public authorities | no eligible member |');
    expect(md).toContain('Versions: 2');
    expect(md).toContain(`Amendment #${amendmentId} accepted, reason: Say \\*when\\* \\<b\\>`);
    // User text cannot format.
    expect(md).toContain('\\<script\\>alert\\("x"\\)\\</script\\> \\& \\*early\\* \\_always\\_ \\# \\[link\\]\\(http://x\\)');
    expect(md).toContain('*Rationale:* Workers learn it \\<first\\>');
    expect(md).not.toContain('Draft still');
    expect(md).not.toContain('Rejected one');
    expect(md).toContain('No clause adopted at this stage.');
    expect(md).toContain('1 draft clause in progress');
  });

  it('writes a standalone, escaped HTML document to --out', async () => {
    const out = join(tmp, 'code.html');
    const result = await passerelle(['export', 'code', 'FR', '--format', 'html', '--out', out], vars);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<style>');
    expect(html).toContain('</html>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *early*');
    expect(html).not.toContain('<script');
    expect(html).toContain('<h2>Stage 2: Preparation</h2>');
    expect(html).toContain('<td>Employers</td>');
    expect(html).not.toContain('Draft still');
  });

  it('titles an international platform\'s code "International recommendations"', async () => {
    const result = await passerelle(['export', 'code', 'INT'], vars);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# International recommendations\n/);
    expect(result.stdout.match(/No clause adopted at this stage\./g)).toHaveLength(4);
    expect(result.stdout).toContain('No draft clause in progress.');
  });
});

describe('passerelle export code, wrong input (exit 2, nothing written)', () => {
  const untouched = join(tmp, 'never', 'created.db');
  const wrong = async (...args: string[]) => {
    const result = await passerelle(['export', 'code', ...args], { DATABASE_URL: `file:${untouched}` });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(existsSync(untouched)).toBe(false);
    return result.stderr;
  };

  it('lists the known codes for an unknown one', async () => {
    const stderr = await wrong('ZZ');
    expect(stderr).toContain('there is no platform ZZ');
    expect(stderr).toContain('FR, BE, DE, SE, UK, INT');
    expect(await wrong('not a code')).toContain('--code: must be a platform id');
  });

  it('names the accepted formats', async () => {
    const stderr = await wrong('FR', '--format', 'pdf');
    expect(stderr).toContain('--format: must be md or html, not "pdf"');
    expect(stderr).toContain('passerelle export code --help');
  });

  it('needs the code', async () => {
    expect(await wrong()).toContain("missing required argument 'code'");
  });
});
