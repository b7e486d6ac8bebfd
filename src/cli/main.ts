/**
 * `passerelle …`, the command-line tool (`npx passerelle`, `npm run passerelle --`). It reads the
 * same environment as the bot (DATABASE_URL, PLATFORMS_FILE, PUBLIC_URL…, see .env.example).
 * Exit codes: 0 done, 1 failed, 2 wrong input (nothing was written).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerBackup } from './backup.js';
import { registerDigest } from './digest.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerManifest } from './manifest.js';
import { registerMigrate } from './migrate.js';
import { registerOutbox } from './outbox.js';
import { reportInputError, USAGE_EXIT_CODE } from './usage-error.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('passerelle')
    .description('Passerelle command-line tool; configured by the same environment as the bot (see .env.example)')
    // Set before the subcommands are added, which inherit them.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerMigrate(program, io);
  registerExport(program, io);
  registerImport(program, io);
  registerDigest(program, io);
  registerManifest(program, io);
  registerOutbox(program, io);
  registerBackup(program, io);
  // After a parse error (unknown option, missing subcommand…), where to read the usage.
  const withHint = (command: Command) => {
    command.showHelpAfterError(`Run \`${commandPath(command)} --help\` for usage.`);
    command.commands.forEach(withHint);
  };
  withHint(program);
  return program;
}

/** `passerelle migrate`, from the chain of commands down to the one that ran. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Runs the tool on the arguments given after `passerelle`; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const program = buildProgram(io);
  let running: Command = program;
  program.hook('preAction', (_program, action) => {
    running = action;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already said what was wrong (unknown option, missing subcommand…).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    const code = reportInputError(error, commandPath(running), io.stderr);
    if (code !== undefined) return code;
    io.stderr.write(`${commandPath(running)} failed: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** For a launcher (bin/passerelle.mjs) or `tsx src/cli/main.ts`: runs with this process's arguments and streams. */
export async function main(): Promise<void> {
  // `passerelle export … | head`: the reader left; stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2));
}

if (isEntryPoint()) await main();
