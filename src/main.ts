/** `npm start`: runs Passerelle with the configuration of the environment (see .env.example). */
import { ConfigError, loadEnv } from './config/env.js';
import { createLogger } from './log.js';
import { startPasserelle } from './passerelle.js';
import { startPlayground } from './playground.js';

/** The Playground's personal chat, bound to the DEMO platform of config/platforms.json. */
const DEMO_CHAT = 'passerelle-demo-chat';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL);
  const passerelle = await startPasserelle(env, log);
  // Without Teams credentials, a local Teams-like chat page to try every command at once.
  const playground =
    env.PLAYGROUND === 'on' && !passerelle.teams?.authenticated
      ? await startPlayground(passerelle.url, log, { conversationId: DEMO_CHAT })
      : undefined;
  const shutdown = (signal: string) => {
    log.info(`${signal}: stopping`);
    Promise.all([playground?.stop(), passerelle.stop()]).then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Passerelle could not start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
