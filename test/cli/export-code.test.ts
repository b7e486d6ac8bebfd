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
import { buildCodeDocument, type CodeDocumentData } from '../../src/exports/code-document.js';
import { translator } from '../../templates/i18n.js';
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
  it("writes the code as Markdown in the platform's first language (French for FR): stages in order, adopted clauses with their record, no draft or rejected clause", async () => {
    const result = await passerelle(['export', 'code', 'fr'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const md = result.stdout;
    expect(md).toMatch(/^# Code de conduite FR — Plateforme France\n\nCode FR, généré le \d{1,2} \p{L}+ \d{4}\.\n/u);
    const headings = ['## Étape 1 : Anticipation', '## Étape 2 : Préparation', '## Étape 3 : Mise en œuvre', '## Étape 4 : Suivi'].map((h) => md.indexOf(h));
    expect(headings.every((i) => i >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(md).toContain('### FR-2.1 Early information');
    expect(md).toContain("**Procès-verbal d'adoption**");
    expect(md).toContain('- Adoptée le 10 mars 2026\n');
    expect(md).toContain(
      '- Règle de vote — Collèges : adoptée seulement si « Pour » obtient au moins 50 % des votes exprimés dans chaque collège (les abstentions comptent parmi les votes exprimés). Collèges : Employers · Employee representatives · Public authorities',
    );
    expect(md).toContain('Quorum : 50 % des votants dans chaque collège.');
    expect(md).toContain('- Décompte : Pour 2, Contre 0, Abstention 0 ; participation 2 sur 2 (100 %)');
    expect(md).toContain('| Collège | Issue | Voix | Participation |');
    expect(md).toContain('| Employers | Adoptée | Pour 1, Contre 0, Abstention 0 | 1 sur 1 (100 %) |');
    expect(md).toContain('| Employee representatives | Adoptée |');
    expect(md).toContain('| Public authorities | Aucun membre votant |');
    expect(md).toContain('- Versions : 2');
    expect(md).toContain(`- Amendement n° ${amendmentId} accepté, motif : Say \\*when\\* \\<b\\>`);
    // User text cannot format.
    expect(md).toContain('\\<script\\>alert\\("x"\\)\\</script\\> \\& \\*early\\* \\_always\\_ \\# \\[link\\]\\(http://x\\)');
    expect(md).toContain('Justification : Workers learn it \\<first\\>');
    expect(md).not.toContain('Draft still');
    expect(md).not.toContain('Rejected one');
    expect(md).toContain('Aucune clause adoptée à cette étape.');
    expect(md).toContain('1 projet de clause en cours (non adopté, donc absent de ce document).');
    // No English left.
    expect(md).not.toMatch(/\b(Stage|Adopted|Tally|Rule|Amendment|generated|College|approve)\b/);
  });

  it('writes it in the language given with --language (English here)', async () => {
    const result = await passerelle(['export', 'code', 'FR', '--language', 'EN'], vars);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const md = result.stdout;
    expect(md).toMatch(/^# Code of conduct FR — Plateforme France\n\nCode FR, generated on \d{1,2} [A-Z][a-z]+ \d{4}\.\n/);
    const headings = ['## Stage 1: Anticipation', '## Stage 2: Preparation', '## Stage 3: Implementation', '## Stage 4: Follow-up'].map((h) => md.indexOf(h));
    expect(headings.every((i) => i >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(md).toContain('**Adoption record**');
    expect(md).toContain('- Adopted on 10 March 2026\n');
    expect(md).toContain(
      '- Voting rule — Multiple colleges: adopted only if Approve gets at least 50 % of the votes cast in every college (abstentions count in the votes cast). Colleges: Employers · Employee representatives · Public authorities',
    );
    expect(md).toContain('Quorum: 50 % of the eligible voters in every college.');
    expect(md).toContain('- Tally: Approve 2, Reject 0, Abstain 0; participation 2 of 2 (100 %)');
    expect(md).toContain('| College | Outcome | Votes | Participation |');
    expect(md).toContain('| Employers | Adopted | Approve 1, Reject 0, Abstain 0 | 1 of 1 (100 %) |');
    expect(md).toContain('| Public authorities | No eligible member |');
    expect(md).toContain('- Versions: 2');
    expect(md).toContain(`- Amendment #${amendmentId} accepted, reason: Say \\*when\\* \\<b\\>`);
    expect(md).toContain('Rationale: Workers learn it \\<first\\>');
    expect(md).toContain('No clause adopted at this stage.');
    expect(md).toContain('1 draft clause in progress (not adopted, so not in this document).');
    expect(md).not.toContain('Adoptée');
  });

  it('writes a standalone, escaped HTML document to --out, declaring its language', async () => {
    const out = join(tmp, 'code.html');
    const result = await passerelle(['export', 'code', 'FR', '--format', 'html', '--out', out], vars);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Code de conduite FR — Plateforme France</title>');
    expect(html).toContain('<style>');
    expect(html).toContain('</html>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *early*');
    expect(html).not.toContain('<script');
    expect(html).toContain('<h2>Étape 2 : Préparation</h2>');
    // The locale's words are escaped too (the apostrophe of « Procès-verbal d'adoption »).
    expect(html).toContain('<strong>Procès-verbal d&#39;adoption</strong>');
    expect(html).toContain('<li>Adoptée le 10 mars 2026</li>');
    expect(html).toContain('<tr><th>Collège</th><th>Issue</th><th>Voix</th><th>Participation</th></tr>');
    expect(html).toContain('<tr><td>Employers</td><td>Adoptée</td><td>Pour 1, Contre 0, Abstention 0</td><td>1 sur 1 (100 %)</td></tr>');
    expect(html).toContain(`<li>Amendement n° ${amendmentId} accepté, motif : Say *when* &lt;b&gt;</li>`);
    expect(html).not.toContain('Draft still');

    const german = await passerelle(['export', 'code', 'FR', '--format', 'html', '--language', 'de'], vars);
    expect(german).toMatchObject({ code: 0, stderr: '' });
    expect(german.stdout).toMatch(/^<!doctype html>\n<html lang="de">/);
    expect(german.stdout).toContain('<h1>Verhaltenskodex FR — Plateforme France</h1>');
    expect(german.stdout).toContain('<h2>Phase 2: Vorbereitung</h2>');
    expect(german.stdout).toContain('<li>Angenommen am 10. März 2026</li>');
  });

  it('titles an international platform\'s code "International recommendations" (in French with --language fr)', async () => {
    const result = await passerelle(['export', 'code', 'INT'], vars);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# International recommendations\n/);
    expect(result.stdout.match(/No clause adopted at this stage\./g)).toHaveLength(4);
    expect(result.stdout).toContain('No draft clause in progress.');

    const french = await passerelle(['export', 'code', 'INT', '--language', 'fr'], vars);
    expect(french.code).toBe(0);
    expect(french.stdout).toMatch(/^# Recommandations internationales\n/);
    expect(french.stdout).toContain('Aucun projet de clause en cours.');
  });
});

describe('buildCodeDocument', () => {
  const data: CodeDocumentData = {
    code: 'FR',
    platformName: 'Plateforme <France>',
    international: false,
    language: 'fr',
    timezone: 'Europe/Paris',
    // 23:30 UTC is already the next day in Paris.
    generatedAt: new Date('2026-03-10T23:30:00Z'),
    stages: [{ stage: 'anticipation', clauses: [] }],
    drafts: 3,
  };

  it("dates the document in the platform's time zone, as its language writes dates", () => {
    expect(buildCodeDocument(data, 'md', translator('fr'))).toContain('Code FR, généré le 11 mars 2026.');
    expect(buildCodeDocument({ ...data, timezone: 'America/New_York', language: 'en' }, 'md', translator('en'))).toContain('Code FR, generated on 10 March 2026.');
    expect(buildCodeDocument({ ...data, language: 'sv' }, 'md', translator('sv'))).toContain('11 mars 2026');
  });

  it('escapes the platform name in the title, and counts the drafts', () => {
    const md = buildCodeDocument(data, 'md', translator('fr'));
    expect(md).toMatch(/^# Code de conduite FR — Plateforme \\<France\\>\n/);
    expect(md).toContain('3 projets de clause en cours (non adoptés, donc absents de ce document).');
    const html = buildCodeDocument(data, 'html', translator('fr'));
    expect(html).toContain('<title>Code de conduite FR — Plateforme &lt;France&gt;</title>');
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

  it('names the accepted languages, and writes no file', async () => {
    const out = join(tmp, 'never-written.md');
    const stderr = await wrong('FR', '--language', 'xx', '--out', out);
    expect(stderr).toContain('--language: must be one of de, en, fr, nl, sv, not "xx"');
    expect(stderr).toContain('passerelle export code --help');
    expect(existsSync(out)).toBe(false);
  });

  it('needs the code', async () => {
    expect(await wrong()).toContain("missing required argument 'code'");
  });
});
