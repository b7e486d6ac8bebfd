/**
 * Puts Passerelle together: configuration, database, command bus, chat channels, outbox and the
 * HTTP server. `main.ts` calls it for the real thing; tests call it with their own settings.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { Dispatcher } from './bus/dispatcher.js';
import { createSlackChannel, SLACK_EVENTS_PATH, type SlackChannel } from './channels/slack/app.js';
import { createTeamsChannel, TEAMS_MESSAGES_PATH, type TeamsChannel } from './channels/teams/app.js';
import { databaseFile, type Env } from './config/env.js';
import { loadPlatformsConfig } from './config/platforms.js';
import { PlatformDirectory } from './core/platforms.js';
import { openDb, type PrismaClient } from './db/client.js';
import { migrate } from './db/migrate.js';
import { OutboxWorker } from './delivery/outbox-worker.js';
import { Scheduler } from './scheduler/scheduler.js';
import { CardRefresher } from './core/votes/card-refresh.js';
import { scheduleOpenVotes } from './core/votes/schedule.js';
import { cardLinks } from './core/digests/links.js';
import { scheduleDigests } from './core/digests/job.js';
import { fitsOneMessage } from './channels/fits.js';
import { refreshVoteCard } from './core/votes/votes.js';
import { createHttpServer, type Routes } from './server/http.js';
import { ICS_PREFIX, icsPage } from './server/ics-page.js';
import { myDataPage } from './server/my-data-page.js';
import { MY_DATA_PREFIX } from './core/data-rights/export-link.js';
import type { Links } from './core/exchanges/cards.js';
import { scheduleConfirmedExchanges } from './core/exchanges/reminders.js';
import type { Logger } from './log.js';
import { speaks } from '../templates/i18n.js';

export interface Passerelle {
  db: PrismaClient;
  dbFile: string;
  /** The platforms file's platforms and secretariat. */
  platforms: PlatformDirectory;
  server: http.Server;
  port: number;
  url: string;
  slack?: SlackChannel;
  teams?: TeamsChannel;
  outbox: OutboxWorker;
  /** Scheduled jobs (digests, vote closings, reminders), each due time run once across processes. */
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/** Which chat channels the environment turns on, and what would turn on the others. */
export function channelStatus(env: Env): Array<{ channel: string; on: boolean; line: string }> {
  const slackOn = !!(env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN));
  return [
    {
      channel: 'slack',
      on: slackOn,
      line: slackOn
        ? `slack: on (${env.SLACK_APP_TOKEN ? 'Socket Mode' : `HTTP at ${SLACK_EVENTS_PATH}`})`
        : 'slack: off — set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), to turn it on',
    },
    {
      channel: 'teams',
      on: true,
      line:
        env.MICROSOFT_APP_ID && env.MICROSOFT_APP_PASSWORD
          ? `teams: on at ${TEAMS_MESSAGES_PATH} (Bot Framework authentication, app ${env.MICROSOFT_APP_ID})`
          : `teams: on at ${TEAMS_MESSAGES_PATH} for local callers only, without authentication — set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID to serve Microsoft Teams`,
    },
  ];
}

export async function startPasserelle(env: Env, log: Logger, options: { outboxPacingMs?: number; now?: () => Date } = {}): Promise<Passerelle> {
  const config = loadPlatformsConfig(env.PLATFORMS_FILE);
  const platforms = new PlatformDirectory(config.platforms, config.secretariat);
  for (const platform of platforms.all) {
    const missing = platform.languages.filter((l) => !speaks(l));
    if (missing.length) log.warn(`platform ${platform.id}: no templates/locales file for ${missing.join(', ')}; its messages fall back to English`);
  }
  const dbFile = databaseFile(env);
  const applied = await migrate(dbFile);
  log.info({ database: dbFile, migrationsApplied: applied }, applied.length ? 'database migrated' : 'database up to date');
  const db = openDb(dbFile);
  const scheduler = new Scheduler({ db, log, now: options.now });
  const voteCards = new CardRefresher((voteId) => refreshVoteCard(db, platforms, voteId), log);
  // PUBLIC_URL, or the server's own address once it listens: links to Passerelle's pages (exchange invitations).
  const links: Links = { base: env.PUBLIC_URL };
  const dispatcher = new Dispatcher({ db, platforms, platformsFile: env.PLATFORMS_FILE, log, scheduler, voteCards, links });

  const routes: Routes = new Map();
  let slack: SlackChannel | undefined;
  let teams: TeamsChannel | undefined;
  for (const status of channelStatus(env)) {
    log.info(status.line);
    if (status.channel === 'slack' && status.on) {
      slack = createSlackChannel({
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        botToken: env.SLACK_BOT_TOKEN!,
        appToken: env.SLACK_APP_TOKEN,
        apiUrl: env.SLACK_API_URL,
        dispatcher,
        log,
      });
      if (slack.handle) routes.set(SLACK_EVENTS_PATH, slack.handle);
      await slack.start();
    }
    if (status.channel === 'teams') {
      teams = createTeamsChannel({
        appId: env.MICROSOFT_APP_ID,
        appPassword: env.MICROSOFT_APP_PASSWORD,
        tenantId: env.MICROSOFT_APP_TENANT_ID,
        dispatcher,
        db,
        log,
      });
      routes.set(TEAMS_MESSAGES_PATH, teams.handle);
    }
  }

  const outbox = new OutboxWorker({ db, log, deliveries: { slack: slack?.delivery, teams: teams?.delivery }, pacingMs: options.outboxPacingMs, now: options.now });
  outbox.start(env.OUTBOX_INTERVAL_MS);
  // Open votes close at their time; one whose time passed while the bot was down closes now.
  await scheduleOpenVotes({ db, platforms, scheduler, log });
  // Each platform's weekly digest (digest:<PLATFORM>); one missed while down is posted now.
  scheduleDigests({ db, platforms, scheduler, log, fits: fitsOneMessage, linkTo: cardLinks({ slackWorkspaceUrl: env.SLACK_WORKSPACE_URL }) });
  await scheduler.start();

  const server = createHttpServer(routes, async () => {
    await db.$queryRawUnsafe('SELECT 1');
    return { status: 'ok', channels: Object.fromEntries(channelStatus(env).map((s) => [s.channel, s.on ? 'on' : 'off'])) };
  }, log, new Map([[ICS_PREFIX, icsPage(db, platforms, log)], [MY_DATA_PREFIX, myDataPage(db, log, options.now)]]));
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  log.info({ port, platforms: platforms.all.map((p) => p.id) }, `Passerelle listening on ${url} (GET /healthz)`);
  links.base ??= url;
  // Confirmed exchanges get their reminders (one missed while the bot was down is posted now if still useful).
  await scheduleConfirmedExchanges({ db, platforms, scheduler, links, log });

  return {
    db,
    dbFile,
    platforms,
    server,
    port,
    url,
    slack,
    teams,
    outbox,
    scheduler,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await scheduler.stop();
      await voteCards.stop();
      await outbox.stop();
      await slack?.stop();
      await db.$disconnect();
    },
  };
}
