// Writes the README's ```ts code blocks as files into a folder, so that a consumer project
// (scripts/consumer-test.sh) compiles them against the installed package: the README's
// examples cannot rot. A block whose first line is `// NAME.ts` is written as NAME.ts;
// the others as readme-<n>.ts. Usage: node scripts/readme-examples.mjs README.md OUTDIR
/* global process, console */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [readme, outDir] = process.argv.slice(2);
if (readme === undefined || outDir === undefined) {
  console.error('usage: node scripts/readme-examples.mjs README.md OUTDIR');
  process.exit(2);
}
const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const names = blocks.map((code, k) => {
  const named = /^\/\/ ([\w.-]+\.ts)\n/.exec(code ?? '');
  const name = named?.[1] ?? `readme-${k + 1}.ts`;
  writeFileSync(join(outDir, name), code ?? '');
  return name;
});
console.log(names.join(' '));
