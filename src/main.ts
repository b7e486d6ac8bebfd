/** `npm start`: runs Passerelle with the configuration of the environment (see .env.example). */
import { ConfigError, loadEnv } from './config/env.js';
import { createLogger } from './log.js';
import { startPasserelle } from './passerelle.js';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL);
  const passerelle = await startPasserelle(env, log);
  const shutdown = (signal: string) => {
    log.info(`${signal}: stopping`);
    passerelle.stop().then(
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
