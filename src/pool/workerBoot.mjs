/* global URL */
// Entry of an exploration worker thread: loads the worker body named by workerData.body
// (default exploreWorker). Compiled (dist/), the .js next to this file is imported as is: tsx
// is loaded only if the design is a .ts module (src/design/loadDesign.ts registers it then), so a
// worker starts without it. From the sources, the body is TypeScript: workers do not inherit
// loaders registered through tsx's API, so tsx is registered here first.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const body = workerData?.body === 'exhaustiveWorker' ? 'exhaustiveWorker' : 'exploreWorker';
const compiled = new URL(`./${body}.js`, import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const [{ register: registerCommonJs }, { register }] = await Promise.all([
    import('tsx/cjs/api'),
    import('tsx/esm/api'),
  ]);
  registerCommonJs();
  register();
  await import(new URL(`./${body}.ts`, import.meta.url).href);
}
