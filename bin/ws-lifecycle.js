#!/usr/bin/env node
/* global process, console, URL */
// Entry point of the `ws-lifecycle` command: runs the compiled JavaScript in dist/ (built by
// `npm run build`, which `npm ci` and `npm pack` run through the prepare script). tsx is not
// loaded here: the command loads it only to import a user's .ts design module.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('ws-lifecycle: dist/ is missing; run npm run build (or npm ci) in the package first');
  process.exit(2);
}
await import(entry.href);
