#!/usr/bin/env bash
# The package as a consumer gets it: `npm pack`, install the tarball into a fresh project in
# a temporary folder, and there
#   (a) plain Node ESM imports ws-lifecycle/core and steps a connection;
#   (b) a TypeScript consumer (nodenext, strict, exactOptionalPropertyTypes, no @types/node)
#       imports core, sim and check, is compiled by tsc, and its JavaScript runs;
#   (c) `npx ws-lifecycle check --design ./my-design.ts` runs the built command line, and a
#       .ts design in a CommonJS project (package.json without "type": "module") loads too;
#   (d) the consumer's own vitest test checks designs through checkDesign / assertDesign;
#   (e) with Debian's Python stack, `check --design ./chat_design.py` runs the README's Python
#       design through the runner shipped in the tarball and finds the chat's P13;
# and the README's ts code blocks compile against the installed package.
# Installs typescript, vitest and @types/node at this repo's locked versions, from the npm
# cache when `npm ci` in this repo put them there (offline), else from the registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ws-lifecycle-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { printf '\n== %s\n' "$*"; }
version() { node -p "require('$root/node_modules/$1/package.json').version"; }

cd "$root"
step 'npm pack'
npm run -s build
pack_json="$(npm pack --json --ignore-scripts --pack-destination "$work")"
tarball="$work/$(node -e 'const [p] = JSON.parse(process.argv[1]); console.log(p.filename)' "$pack_json")"
node -e '
  const [p] = JSON.parse(process.argv[1]);
  console.log(`${p.filename}: ${p.entryCount} files, ${(p.size / 1024).toFixed(1)} kB packed, ${(p.unpackedSize / 1024).toFixed(1)} kB unpacked`);
  const bad = p.files.map((f) => f.path).filter((f) => /\.test\.|^src\/|^bench\/|counterexamples|tsconfig/.test(f));
  if (bad.length > 0) { console.error(`files that must not ship: ${bad.join(", ")}`); process.exit(1); }
' "$pack_json"

app="$work/consumer"
mkdir -p "$app/sub"
cd "$app"
step 'npm ci: the tarball, typescript, vitest, @types/node, at the versions of this repo'"'"'s lockfile'
# A lockfile for the consumer: the tarball, plus this repo's locked packages (the tarball's
# dependencies and the three tools, at the versions `npm ci` installed here; npm leaves out the
# rest). With it npm fetches no registry metadata, only tarballs, which the npm cache holds
# after `npm ci` in this repo: the test runs offline.
node - "$root" "$tarball" <<'JS'
const fs = require('node:fs');
const crypto = require('node:crypto');
const path = require('node:path');
const [root, tarball] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const dependencies = { 'ws-lifecycle': `file:${tarball}` };
for (const name of ['typescript', 'vitest', '@types/node']) dependencies[name] = lock.packages[`node_modules/${name}`].version;
const packages = { '': { name: 'consumer', version: '1.0.0', dependencies } };
packages['node_modules/ws-lifecycle'] = {
  version: pkg.version,
  resolved: `file:${tarball}`,
  integrity: `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`,
  license: pkg.license,
  dependencies: pkg.dependencies,
  bin: pkg.bin,
  engines: pkg.engines,
};
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!key.startsWith('node_modules/')) continue;
  const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
  packages[key] = rest;
}
fs.writeFileSync('package-lock.json', JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
const consumer = { name: 'consumer', version: '1.0.0', private: true, type: 'module', scripts: { 'check-mine': 'ws-lifecycle check' }, dependencies };
fs.writeFileSync('package.json', JSON.stringify(consumer, null, 2));
JS
npm ci --prefer-offline --no-audit --no-fund --loglevel=error

step '(a) node a.mjs: plain Node ESM imports ws-lifecycle/core and steps a connection'
cat > a.mjs <<'JS'
import { step, initial, defaultConfig, phaseOf } from 'ws-lifecycle/core';
let state = initial(defaultConfig);
for (const input of [{ type: 'connect' }, { type: 'acceptCompleted' }]) state = step(state, input).state;
if (phaseOf(state) !== 'authenticating') throw new Error(`phase ${phaseOf(state)}, expected authenticating`);
console.log(`core: connect, acceptCompleted -> ${phaseOf(state)}`);
// An input the types would refuse: answered with a rejected effect, never a throw.
const bogus = step(state, { type: 'bogus' });
if (bogus.state !== state || bogus.effects[0]?.type !== 'rejected' || bogus.effects[0].input !== 'unknown') {
  throw new Error(`bogus input: ${JSON.stringify(bogus.effects)}`);
}
console.log(`core: { type: 'bogus' } -> rejected (${bogus.effects[0].reason.slice(0, 30)}...)`);
JS
node a.mjs
if grep -rlE "from ['\"](node:|fs|path|crypto|util|os)['\"]" node_modules/ws-lifecycle/dist/src/core; then
  echo 'ws-lifecycle/core imports a Node built-in' >&2
  exit 1
fi

step '(b) tsc -p tsconfig.json && node out/b.js: a strict TypeScript consumer'
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
    "strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true,
    "types": [], "skipLibCheck": false, "outDir": "out" },
  "files": ["b.ts"] }
JSON
cat > b.ts <<'TS'
// No @types/node here (types: []): neither core nor sim nor check needs Node's types.
import { step, initial, defaultConfig, phaseOf, type Input, type State } from 'ws-lifecycle/core';
import type { HandlerDesign } from 'ws-lifecycle/sim';
import { checkDesign, reference, type CheckReport, type CheckDesignOptions } from 'ws-lifecycle/check';

declare const console: { log(...args: unknown[]): void };

let state: State = initial({ ...defaultConfig, capacity: 4 });
const inputs: Input[] = [{ type: 'connect' }, { type: 'acceptCompleted' }];
for (const input of inputs) state = step(state, input).state;
// The natural loop, no annotation: initial() is a State, so step's states assign back.
let s = initial(defaultConfig);
s = step(s, { type: 'connect' }).state;
({ state: s } = step(s, { type: 'acceptCompleted' }));
if (phaseOf(s) !== phaseOf(state)) throw new Error('the two loops disagree');

// Accepts, then refuses every event: a design that type-checks against the contract.
const refuser: HandlerDesign = {
  kind: 'handler',
  name: 'refuser',
  create: () => ({
    async handle(conn) {
      await conn.socket.accept();
    },
    async emit() {
      return false;
    },
    async close() {},
  }),
};
const options: CheckDesignOptions = { runs: 40, profiles: ['lan'], seed: 7 };
const report: CheckReport = await checkDesign(reference, options);
console.log(`phase ${phaseOf(state)}; reference ${report.summary.verdict}; ${refuser.name} compiles`);
if (report.designs[0]?.name !== 'reference' || phaseOf(state) !== 'authenticating') throw new Error('unexpected result');
TS
npx tsc -p tsconfig.json
node out/b.js

step '(c) npx ws-lifecycle check --design ./my-design.ts (the README example design)'
node "$root/scripts/readme-examples.mjs" "$root/README.md" "$app" > readme-files.txt
test -f my-design.ts
npx ws-lifecycle --version
set +e
npx ws-lifecycle check --design ./my-design.ts --runs 100 --profile lan --report junit=out/junit.xml > check.txt 2> check.err
code=$?
set -e
cat check.txt | tail -4
test "$code" -eq 0 -o "$code" -eq 1 || { cat check.err; echo "exit $code" >&2; exit 1; }
grep -q '^my-design ' check.txt
grep -q '<testsuite name="my-design"' out/junit.xml
# The bundled designs and their expectations ship compiled: seed-003 matches its expectation.
npx ws-lifecycle check --design seed-003 --runs 100 --profile lan,cloud-run > bundled.txt
grep -q '^seed-003 .*X\*' bundled.txt
tail -1 bundled.txt
# Through npm from a subfolder: the design path is taken from where the command was typed.
cp my-design.ts sub/
(cd sub && npm run -s check-mine -- --design ./my-design.ts --runs 20 --profile ideal --json > ../check.json) || true
node -e 'const r = JSON.parse(require("fs").readFileSync("check.json", "utf8")); if (r.designs[0].name !== "my-design") process.exit(1); console.log("npm run -s ... --json from sub/: valid JSON, design my-design")'
# A CommonJS project (npm init's package.json, no "type": "module"): tsx loads its .ts design
# as CommonJS, and the design is found in module.exports.
mkdir -p cjs
printf '{ "name": "cjs-consumer", "version": "1.0.0" }\n' > cjs/package.json
cp my-design.ts cjs/
(cd cjs && "$app/node_modules/.bin/ws-lifecycle" check --design ./my-design.ts --runs 20 --profile ideal --json > ../cjs.json) || true
node -e 'const r = JSON.parse(require("fs").readFileSync("cjs.json", "utf8")); if (r.designs[0].name !== "my-design") process.exit(1); console.log("CommonJS project: my-design.ts loads and is checked")'

step '(d) npx vitest run: the consumer test checks designs through the API'
cat > api.test.ts <<'TS'
import { describe, expect, it } from 'vitest';
import { assertDesign, checkDesign, reference, DesignCheckFailure } from 'ws-lifecycle/check';
import { design } from './my-design.ts';

describe('designs checked from a consumer test', () => {
  it('the reference holds every property', async () => {
    const report = await assertDesign(reference, { runs: 300, profiles: ['lan', 'hostile'] });
    expect(report.summary.verdict).toBe('pass');
  });
  it('my-design fails with its matrix row, a timeline and the replay command', async () => {
    const failure = await assertDesign(design, { runs: 200, profiles: ['lan'], ref: './my-design.ts' }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(DesignCheckFailure);
    const message = (failure as Error).message;
    expect(message).toMatch(/^my-design +(ok|X|nc|-) /m);
    expect(message).toMatch(/^> +\d+ t=\d+ms/m);
    expect(message).toMatch(/reproduce: npx ws-lifecycle replay --design \.\/my-design\.ts --seed \d+ --path [\d:]+ --profile lan/);
    const report = await checkDesign(design, { runs: 200, profiles: ['lan'] });
    expect(report.summary.verdict).toBe('fail');
  });
});
TS
npx vitest run --reporter=dot --testTimeout=120000 api.test.ts

step "tsc: the README's ts examples ($(cat readme-files.txt)) compile against the package"
cat > tsconfig.readme.json <<'JSON'
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
    "strict": true, "exactOptionalPropertyTypes": true, "types": ["node"], "noEmit": true,
    "allowImportingTsExtensions": true, "skipLibCheck": false } }
JSON
node -e '
  const fs = require("fs");
  const cfg = JSON.parse(fs.readFileSync("tsconfig.readme.json", "utf8"));
  cfg.files = fs.readFileSync("readme-files.txt", "utf8").trim().split(" ").concat("api.test.ts");
  fs.writeFileSync("tsconfig.readme.json", JSON.stringify(cfg));
'
npx tsc -p tsconfig.readme.json

step '(e) npx ws-lifecycle check --design ./chat_design.py (the README Python design)'
if /usr/bin/python3 -c 'import fastapi, uvicorn, websockets' 2>/dev/null; then
  cp "$root/examples/python/chat.py" "$root/examples/python/chat_design.py" .
  set +e
  npx ws-lifecycle check --design ./chat_design.py --runs 30 --profile hostile --progress none --json > python.json 2> python.err
  code=$?
  set -e
  test "$code" -eq 1 || { cat python.err; echo "exit $code" >&2; exit 1; }
  node -e '
    const r = JSON.parse(require("fs").readFileSync("python.json", "utf8"));
    const p13 = r.designs[0].properties.find((p) => p.id === "P13");
    if (r.designs[0].name !== "chat" || p13.status !== "violated") { console.error(JSON.stringify(p13)); process.exit(1); }
    console.log(`chat: P13 violated, ${p13.counterexample.reproduce}`);
  '
  cases=5
elif [ "${WS_LIFECYCLE_REQUIRE_PYTHON:-}" = 1 ]; then
  echo 'consumer test: /usr/bin/python3 cannot import fastapi, uvicorn and websockets; WS_LIFECYCLE_REQUIRE_PYTHON=1 requires them' >&2
  exit 1
else
  echo 'SKIPPED: /usr/bin/python3 cannot import fastapi, uvicorn and websockets'
  cases=4
fi
echo "consumer test: $cases cases passed, README examples compile"
