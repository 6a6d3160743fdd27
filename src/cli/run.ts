/**
 * The process entry of the `ws-lifecycle` command (bin/ws-lifecycle.js imports its compiled
 * form; `npm run cli` runs this source through tsx). Reads argv, sets the exit code.
 */
import { main } from './main.ts';

// `ws-lifecycle check | head`: the reader left; stop quietly instead of an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
