#!/usr/bin/env node
// `passerelle …` (npx passerelle, npm run passerelle --): runs src/cli/main.ts with tsx, in this
// process. Paths are resolved from this file, so it works from any directory (and through the
// symlink npm makes to it); the project's own tsconfig is used whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
await main();
