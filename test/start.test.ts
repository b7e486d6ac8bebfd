/** `npm start` as a new user runs it: no credentials, a fresh database, the shipped platforms file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, ROOT } from './cli/run-cli.js';

const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function start(vars: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [TSX, 'src/main.ts'], { cwd: ROOT, env: cliEnv(vars), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-start-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts without credentials: migrates, serves /healthz, says which channels are off and how to turn them on', async () => {
    const run = start({ DATABASE_URL: `file:${path.join(tempDir(), 'sub', 'passerelle.db')}`, PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off' });
    children.push(run.child);
    await expect.poll(() => /listening on (http:\/\/\S+)/.exec(run.output()), { timeout: 15_000, interval: 100 }).not.toBeNull();
    const url = /listening on (http:\/\/\S+)/.exec(run.output())![1];
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', channels: { slack: 'off', teams: 'on' } });
    expect(run.output()).toContain('database migrated');
    expect(run.output()).toContain(
      'slack: off — set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), to turn it on',
    );
    expect(run.output()).toContain(
      'teams: on at /api/messages for local callers only, without authentication — set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID to serve Microsoft Teams',
    );
    expect((await fetch(`${url}/slack/events`, { method: 'POST' })).status).toBe(404);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('refuses a platforms file with a mistake, naming where it is, with exit code 2', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'platforms.json');
    writeFileSync(
      file,
      JSON.stringify({
        platforms: [
          { id: 'FR', name: 'France', country: 'FR', languages: ['fr'], timezone: 'Europe/Paris' },
          { id: 'BE', name: 'Belgique', country: 'BE', languages: ['fr'], timezone: 'Europe/Brussels' },
          { id: 'DE', name: 'Deutschland', country: 'DE', languages: ['de'], timezone: 'Paris' },
        ],
      }),
    );
    const run = start({ DATABASE_URL: `file:${path.join(dir, 'p.db')}`, PORT: '0', PLATFORMS_FILE: file });
    children.push(run.child);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain(`Invalid platforms file ${file}:`);
    expect(run.output()).toContain('platforms[2].timezone: unknown time zone "Paris"');
  });

  it('refuses a malformed environment variable with exit code 2', async () => {
    const run = start({ PORT: 'eighty', SLACK_BOT_TOKEN: 'abc' });
    children.push(run.child);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('PORT: must be a port number such as 3978');
    expect(run.output()).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  });
});
