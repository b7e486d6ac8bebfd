#!/usr/bin/env node
// `npm install` postinstall hook: generates the Prisma client into src/db/generated.
//
// Prisma 7's CLI wants to download a native schema engine before running any command, even
// though `prisma generate` only uses WebAssembly. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file (here: the node binary) skips that download, which would fail offline.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const prismaCli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

const result = spawnSync(process.execPath, [prismaCli, 'generate'], { cwd: root, env, stdio: 'inherit' });
if (result.error) {
  console.error(`generate-prisma: could not run ${prismaCli}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
