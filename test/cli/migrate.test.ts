import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passerelle } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-migrate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('passerelle migrate', () => {
  const dbFile = join(tmp, 'nested', 'passerelle.db');
  const vars = { DATABASE_URL: `file:${dbFile}` };

  it('applies every migration to a fresh file, one name a line, then says the database is up to date', async () => {
    const first = await passerelle(['migrate'], vars);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^\d{14}_init\n(\d{14}_[a-z_]+\n)*$/);
    expect(existsSync(dbFile)).toBe(true);

    const second = await passerelle(['migrate'], vars);
    expect(second).toEqual({ code: 0, stdout: 'database up to date\n', stderr: '' });
  });

  it('refuses an invalid DATABASE_URL with exit code 2', async () => {
    const result = await passerelle(['migrate'], { DATABASE_URL: join(tmp, 'x.db') });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('DATABASE_URL: must be a SQLite file URL');
  });

  it('refuses an unknown command or option with exit code 2', async () => {
    const unknown = await passerelle(['migrat'], vars);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'migrat'[\s\S]*Did you mean migrate\?/);

    const option = await passerelle(['migrate', '--force'], vars);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--force'");
    expect(option.stderr).toContain('passerelle migrate --help');
  });
});
