#!/usr/bin/env node
/* global process */
// Entry point of the `ws-lifecycle` command. The sources are TypeScript; tsx's loader is
// registered so that they (and a user's own .ts design module) load without a build step.
// Both loaders: a user's module outside an ESM package ("type": "module") is CommonJS by
// Node's rules, and only tsx's CommonJS loader compiles it.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

registerCommonJs();
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
