/** `npx passerelle digest`: a platform's weekly digest written offline, Markdown or HTML; bad input exits 2. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsConfig } from '../../src/config/platforms.js';
import { PlatformDirectory } from '../../src/core/platforms.js';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { seedWeek, TEXTS } from '../support/digest-week.js';
import { passerelle, PLATFORMS_FILE } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-digest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dbFile = join(tmp, 'week.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
/** Monday 30 November 2026, 09:00 in Paris: the seeded week is 2026-W48. */
const DUE = new Date('2026-11-30T08:00:00Z');

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const config = loadPlatformsConfig(PLATFORMS_FILE);
    await seedWeek(db, new PlatformDirectory(config.platforms, config.secretariat), DUE);
  } finally {
    await db.$disconnect();
  }
});

describe('passerelle digest', () => {
  it('writes the international digest of an ISO week as Markdown: every platform, public observations in their language', async () => {
    const result = await passerelle(['digest', '--platform', 'INT', '--week', '2026-W48', '--format', 'md'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const md = result.stdout;
    expect(md.startsWith('# International weekly digest — 2026-W48\n')).toBe(true);
    expect(md).toContain('_23 Nov 2026 to 29 Nov 2026 (Europe/Brussels), compared with the week before._');
    expect(md).toContain('- **Plateforme France (FR)**: observations: 3 (+2)');
    expect(md).toContain('## New observations');
    expect(md).toContain(`in French  \n_“${TEXTS.frPublic}”_`);
    expect(md).toContain(`in German  \n_“${TEXTS.deInnovative}”_`);
    expect(md).toContain(`in Swedish  \n_“${TEXTS.seInnovative}”_`);
    expect(md).not.toContain(TEXTS.frInnovative);
    expect(md).not.toContain(TEXTS.frSecretariat);
    expect(md).toContain('**UKCO-2026** (UK)');
  });

  it('writes it as a standalone HTML page, to --out; --secretariat adds the observations kept for the secretariat', async () => {
    const out = join(tmp, 'int.html');
    const result = await passerelle(['digest', '--platform', 'int', '--week', '2026-w48', '--format', 'html', '--out', out, '--secretariat'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>International weekly digest — 2026-W48</title>');
    expect(html).toContain('<h1>International weekly digest — 2026-W48</h1>');
    expect(html).toContain('<h2>New observations</h2>');
    expect(html).toContain("Secretariat&#39;s copy");
    expect(html).toContain('<em>“Note confidentielle : le repreneur potentiel demande le silence”</em>');
    expect(html).toContain('🔒 secretariat only');
  });

  it("writes a national platform's digest in its language", async () => {
    const result = await passerelle(['digest', '--platform', 'FR', '--week', '2026-W48'], vars);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('# Synthèse de la semaine — Plateforme France — 2026-W48');
    expect(result.stdout).toContain('- **Observations**: 3 (+2)');
    expect(result.stdout).not.toContain(TEXTS.frSecretariat);
    const english = await passerelle(['digest', '--platform', 'FR', '--week', '2026-W48', '--language', 'en'], vars);
    expect(english.stdout).toContain('# Weekly digest — Plateforme France — 2026-W48');
  });

  it('exits 2 with what to fix, writing nothing, on a bad week, an unknown platform or a missing one', async () => {
    const out = join(tmp, 'never.md');
    const badWeek = await passerelle(['digest', '--platform', 'INT', '--week', '2026-48', '--out', out], vars);
    expect(badWeek.code).toBe(2);
    expect(badWeek.stdout).toBe('');
    expect(badWeek.stderr).toContain('passerelle digest: --week: "2026-48" is not an ISO week: write it as YYYY-Www, e.g. 2026-W48');
    expect(existsSync(out)).toBe(false);

    const noSuchWeek = await passerelle(['digest', '--platform', 'INT', '--week', '2025-W53'], vars);
    expect(noSuchWeek.code).toBe(2);
    expect(noSuchWeek.stderr).toContain('--week: 2025-W53 is not a week of its year');

    const unknown = await passerelle(['digest', '--platform', 'XX', '--week', '2026-W48'], vars);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--platform: there is no platform XX in');
    expect(unknown.stderr).toContain('Use one of: FR, BE, DE, SE, UK, INT, DEMO.');

    const missing = await passerelle(['digest', '--week', '2026-W48'], vars);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--platform: is required');

    const format = await passerelle(['digest', '--platform', 'FR', '--format', 'pdf'], vars);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format: must be md or html, not "pdf"');
  });
});
