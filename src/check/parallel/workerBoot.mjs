/* global URL */
// Entry of an exploration worker thread. Workers do not inherit loaders registered through
// tsx's API, so this registers tsx (for the TypeScript sources and a user's .ts design) and
// then loads the worker body named by workerData.body (default exploreWorker): the .js next
// to it when compiled, else the .ts source.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

registerCommonJs();
register();
const body = workerData?.body === 'exhaustiveWorker' ? 'exhaustiveWorker' : 'exploreWorker';
const compiled = new URL(`./${body}.js`, import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL(`./${body}.ts`, import.meta.url).href);
