import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { translator } from '../../templates/i18n.js';
import { type CliResult, cliEnv, passerelle } from './run-cli.js';

const APP_ID = '0f3c2a1e-1234-4abc-9def-0123456789ab';
const URL_ = 'https://passerelle.example.org';
const BIN = fileURLToPath(new URL('../../bin/passerelle.mjs', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The Teams manifest schemas shipped by @microsoft/app-manifest, read from the package (no network). */
const require = createRequire(import.meta.url);
const SCHEMAS = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');

/** The newest released schema version the package has (vDevPreview is not a release). */
function newestRelease(): string {
  const versions = readdirSync(SCHEMAS)
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1).split('.').map(Number));
  versions.sort(([a1, a2], [b1, b2]) => a1 - b1 || a2 - b2);
  return versions.at(-1)!.join('.');
}

function schemaOf(version: string): any {
  return JSON.parse(readFileSync(path.join(SCHEMAS, `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8'));
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-teams-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the real launcher in `cwd` (run-cli's `passerelle` always runs in the project root). */
function passerelleIn(cwd: string, args: string[], vars: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(vars), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** MICROSOFT_APP_ID blank (not set), whatever the developer's shell has. */
const NO_APP_ID = { MICROSOFT_APP_ID: '' };

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** The inflated IDAT data: each row, its filter byte then its pixels. */
  rows: Buffer;
}

/** Reads a PNG's chunks: signature, CRCs, IHDR, and the IDAT data inflated. */
function readPng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks[0].type).toBe('IHDR');
  expect(chunks.at(-1)!.type).toBe('IEND');
  const ihdr = chunks[0].data;
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8], colourType: ihdr[9], rows: inflateSync(idat) };
}

/** The RGBA pixels of an 8-bit RGBA PNG whose rows are unfiltered (filter type 0, as Passerelle writes them). */
function pixels(png: Png): Array<[number, number, number, number]> {
  expect([png.bitDepth, png.colourType]).toEqual([8, 6]);
  const stride = png.width * 4 + 1;
  expect(png.rows.length).toBe(stride * png.height);
  const out: Array<[number, number, number, number]> = [];
  for (let y = 0; y < png.height; y++) {
    expect(png.rows[y * stride]).toBe(0);
    for (let x = 0; x < png.width; x++) {
      const i = y * stride + 1 + x * 4;
      out.push([png.rows[i], png.rows[i + 1], png.rows[i + 2], png.rows[i + 3]]);
    }
  }
  return out;
}

describe('passerelle manifest teams', () => {
  it('writes a Teams app package whose manifest validates against the newest schema of @microsoft/app-manifest', async () => {
    const out = path.join(tempDir(), 'app.zip');
    const result = await passerelle(['manifest', 'teams', '--app-id', APP_ID, '--url', URL_, '--out', out], NO_APP_ID);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${out}\n`);

    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));

    expect(manifest.manifestVersion).toBe(newestRelease());
    expect(schemaOf(manifest.manifestVersion).properties.manifestVersion.const).toBe(manifest.manifestVersion);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schemaOf(manifest.manifestVersion))).toEqual([]);

    expect(manifest).toMatchObject({
      id: APP_ID,
      version: VERSION,
      developer: { name: 'Passerelle', websiteUrl: URL_, privacyUrl: URL_, termsOfUseUrl: URL_ },
      name: { short: 'Passerelle' },
      icons: { color: 'color.png', outline: 'outline.png' },
      permissions: ['identity', 'messageTeamMembers'],
      validDomains: ['passerelle.example.org'],
    });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
  });

  it('lists every command of commands/ for the bot, and the message actions of their shortcuts', async () => {
    const out = path.join(tempDir(), 'app.zip');
    const result = await passerelle(['manifest', 'teams', '--app-id', APP_ID, '--url', URL_, '--out', out], NO_APP_ID);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(await (await JSZip.loadAsync(readFileSync(out))).file('manifest.json')!.async('string'));
    const t = translator('en');

    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot).toMatchObject({ botId: APP_ID, scopes: ['team', 'groupChat', 'personal'], supportsFiles: false, isNotificationOnly: false });
    expect(bot.commandLists).toHaveLength(1);
    expect(bot.commandLists[0].scopes).toEqual(['team', 'groupChat', 'personal']);
    expect(bot.commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(COMMANDS.filter((c) => c.menu !== false).map((c) => c.name));
    for (const command of bot.commandLists[0].commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
      // The summary, or its beginning and an ellipsis when it is too long.
      const summary = t(`commands.${command.title}.summary`);
      if (summary.length <= 128) expect(command.description).toBe(summary);
      else expect(summary.startsWith(command.description.slice(0, -1).trimEnd()) && command.description.endsWith('…')).toBe(true);
    }

    expect(manifest.composeExtensions).toHaveLength(1);
    expect(manifest.composeExtensions[0].botId).toBe(APP_ID);
    expect(manifest.composeExtensions[0].commands).toContainEqual({
      id: 'observation.capture',
      type: 'action',
      title: t('shortcut.captureTitle'),
      description: t('shortcut.captureDescription'),
      context: ['message'],
      fetchTask: true,
    });
    const shortcutIds = COMMANDS.flatMap((c) => (c.shortcuts ?? []).map((s) => s.id));
    expect(manifest.composeExtensions[0].commands.map((c: { id: string }) => c.id)).toEqual(shortcutIds);
  });

  it('draws color.png 192×192 and opaque, outline.png 32×32 white on transparent', async () => {
    const out = path.join(tempDir(), 'app.zip');
    expect((await passerelle(['manifest', 'teams', '--app-id', APP_ID, '--url', URL_, '--out', out], NO_APP_ID)).code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));

    const color = readPng(await zip.file('color.png')!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const colorPixels = pixels(color);
    expect(colorPixels.every(([, , , a]) => a === 255)).toBe(true);
    expect(new Set(colorPixels.map((p) => p.join())).size).toBeGreaterThan(2); // a mark on a background, not a blank square

    const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const outlinePixels = pixels(outline);
    expect(outlinePixels.every(([r, g, b, a]) => a === 0 || (r === 255 && g === 255 && b === 255))).toBe(true);
    expect(outlinePixels.filter(([, , , a]) => a === 255).length).toBeGreaterThan(50);
    expect(outlinePixels.filter(([, , , a]) => a === 0).length).toBeGreaterThan(32 * 32 * 0.4);
  });

  it('takes MICROSOFT_APP_ID and PUBLIC_URL from the environment and writes passerelle-teams.zip in the working directory', async () => {
    const cwd = tempDir();
    const result = await passerelleIn(cwd, ['manifest', 'teams'], { MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: 'https://bots.example.org/passerelle/' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const written = path.join(cwd, 'passerelle-teams.zip');
    expect(result.stdout.trim()).toBe(written);
    const manifest = JSON.parse(await (await JSZip.loadAsync(readFileSync(written))).file('manifest.json')!.async('string'));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.developer.websiteUrl).toBe('https://bots.example.org/passerelle');
    expect(manifest.validDomains).toEqual(['bots.example.org']);
  });

  it('exits with 2, naming MICROSOFT_APP_ID and --app-id, when the app id is missing or not a GUID', async () => {
    for (const [vars, args, message] of [
      [NO_APP_ID, [], 'no Microsoft app id'],
      [NO_APP_ID, ['--app-id', 'passerelle'], '--app-id: must be a GUID'],
      [NO_APP_ID, ['--app-id', `${APP_ID}0`], '--app-id: must be a GUID'],
      [{ MICROSOFT_APP_ID: '28:0f3c2a1e-1234-4abc-9def-0123456789ab' }, [], 'MICROSOFT_APP_ID: must be a GUID'],
    ] as const) {
      const dir = tempDir();
      const out = path.join(dir, 'app.zip');
      const result = await passerelle(['manifest', 'teams', '--url', URL_, '--out', out, ...args], vars);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('MICROSOFT_APP_ID');
      expect(result.stderr).toContain('--app-id');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('exits with 2 when the URL is missing or not https', async () => {
    for (const [vars, args, message] of [
      [{}, ['--url', 'http://passerelle.example.org'], '--url: must be an https URL'],
      [{}, ['--url', 'passerelle.example.org'], '--url: must be an https URL'],
      [{ PUBLIC_URL: 'http://passerelle.example.org' }, [], 'PUBLIC_URL: must be an https URL'],
      [{}, [], 'Pass --url https://… or set PUBLIC_URL.'],
    ] as const) {
      const out = path.join(tempDir(), 'app.zip');
      const result = await passerelle(['manifest', 'teams', '--app-id', APP_ID, '--out', out, ...args], { ...NO_APP_ID, ...vars });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('exits with 2 when --out cannot be written', async () => {
    const out = path.join(tempDir(), 'no-such-dir', 'app.zip');
    const result = await passerelle(['manifest', 'teams', '--app-id', APP_ID, '--url', URL_, '--out', out], NO_APP_ID);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--out: cannot write ${out}`);
  });
});
