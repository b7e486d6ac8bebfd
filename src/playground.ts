/**
 * The Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`): a local, offline, Teams-like chat page
 * that talks to the bot's `POST /api/messages` without credentials. `npm start` runs it beside the bot unless
 * PLAYGROUND=off. A Playground that does not start never stops the bot: it only logs a warning.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from './log.js';

export interface Playground {
  /** The chat page, e.g. http://localhost:56150 */
  url: string;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** Default 56150; 0 for any free port. The Playground itself falls back to a free port when it is taken. */
  port?: number;
  /** Fixed id of the Playground's personal chat (random at every start otherwise). */
  conversationId?: string;
  /** Default 20 s. */
  readyTimeoutMs?: number;
}

export const PLAYGROUND_PORT = 56150;

/**
 * The Playground listens on every interface and relays whatever its page sends to the bot: keep it on loopback,
 * like the bot's endpoint, by giving `listen(port[, callback])` the host it lacks.
 */
const LOOPBACK_ONLY =
  'data:text/javascript,' +
  encodeURIComponent(
    `import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};`,
  );

function playgroundBin(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('@microsoft/m365agentsplayground/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.agentsplayground;
  return resolve(dirname(pkgFile), bin);
}

export async function startPlayground(botUrl: string, log: Logger, opts: PlaygroundOptions = {}): Promise<Playground> {
  const plog = log.child({ component: 'playground' });
  const port = opts.port ?? PLAYGROUND_PORT;
  const endpoint = `${botUrl.replace(/\/+$/, '')}/api/messages`;
  let bin: string;
  try {
    bin = playgroundBin();
  } catch (err) {
    plog.warn({ err }, 'Agents Playground not installed (npm install): starting without it');
    return { url: `http://localhost:${port}`, stop: async () => undefined };
  }

  const dir = mkdtempSync(join(tmpdir(), 'passerelle-playground-'));
  const logFile = join(dir, 'm365agentsplayground.log');
  const args = ['--import', LOOPBACK_ONLY, bin, '--app-endpoint', endpoint, '--channel-id', 'msteams', '--port', String(port), '--disable-telemetry'];
  if (opts.conversationId) args.push('--conversation-id', opts.conversationId);
  const child = spawn(process.execPath, args, {
    // Own process group, so that stop() ends the Playground and anything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none', // do not open a browser
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', // no Azure metadata or statsbeat requests: fully offline
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile, // not ./devTools/ in the working directory
    },
  });
  plog.debug({ pid: child.pid, logFile, endpoint }, 'Agents Playground starting');

  const exited = new Promise<number | string | null>((done) => {
    child.once('exit', (code, signal) => done(code ?? signal));
    child.once('error', (err) => done(err.message));
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  let running = false; // ready and not stopping
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      running = false;
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    })());

  // Piped (not a TTY), the Playground writes only `Listening on <port>` to stdout; the rest goes to its log file.
  let stdout = '';
  const listening = new Promise<number>((done) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const m = /Listening on (\d+)/.exec(stdout);
      if (m) done(Number(m[1]));
    });
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => plog.warn(chunk.trim()));
  void exited.then((code) => {
    if (running) plog.warn({ code, log: tail(logFile) }, 'Agents Playground exited');
  });

  const timeoutMs = opts.readyTimeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening.then(async (p) => ((await ping(`http://localhost:${p}`, timeoutMs)) ? p : 'no answer')),
    exited.then((code) => `exited (${code})`),
    new Promise<string>((done) => (timer = setTimeout(() => done(`not ready after ${timeoutMs} ms`), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (typeof outcome === 'string') {
    plog.warn({ log: tail(logFile) }, `Agents Playground ${outcome}: Passerelle runs without it`);
    await stop();
    return { url: `http://localhost:${port}`, stop };
  }
  running = true;
  const url = `http://localhost:${outcome}`;
  plog.info(`Agents Playground: open ${url} to chat with Passerelle`);
  return { url, stop };
}

async function ping(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/_debug/ping`, { signal: AbortSignal.timeout(1000) })).ok) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function tail(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return undefined;
  }
}
