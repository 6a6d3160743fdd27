#!/usr/bin/env node
/* global process */
// Entry point of the `ws-lifecycle` command. The sources are TypeScript; tsx's loader is
// registered so that they (and a user's own .ts design module) load without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
