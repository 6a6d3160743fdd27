import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../report/checkReport.ts';
import { renderHtmlReport } from '../report/htmlReport.ts';
import { diagramSteps } from '../report/timelineSteps.ts';
import { runInProcess } from './runInProcess.ts';

// End to end in a real browser: `check --report html=FILE` on a bundled design, the page
// opened by Debian's headless Chromium from a file:// URL (no server, no network), its DOM
// dumped and a screenshot taken. Skipped without /usr/bin/chromium, unless
// WS_LIFECYCLE_REQUIRE_CHROMIUM=1 (CI), which makes a missing browser a failure.
const chromium = process.env['WS_LIFECYCLE_CHROMIUM'] ?? '/usr/bin/chromium';
const root = new URL('../..', import.meta.url).pathname;
const present = existsSync(chromium);
if (!present) {
  const why = `HTML report browser test SKIPPED: no ${chromium} (apt-get install -y chromium)`;
  if (process.env['WS_LIFECYCLE_REQUIRE_CHROMIUM'] === '1')
    throw new Error(`${why}; WS_LIFECYCLE_REQUIRE_CHROMIUM=1 requires it`);
  console.warn(why);
}

function browse(file: string, ...extra: string[]): string {
  return execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--window-size=1280,2000',
      ...extra,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

/** The dumped DOM of one finding's section, by design and property. */
function section(dom: string, design: string, property: string): string {
  const start = dom.indexOf(`data-design="${design}" data-property="${property}"`);
  if (start < 0) return '';
  const end = dom.indexOf('</section>', start);
  return dom.slice(start, end);
}

describe.skipIf(!present)('check --report html=FILE in headless Chromium', () => {
  it('shows every counterexample as a diagram with its steps, the offending ones marked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-report-'));
    const html = join(dir, 'report.html');
    const json = join(dir, 'report.json');
    const args = ['check', '--design', 'naive', '--runs', '40', '--profile', 'lan', '--seed', '1'];
    const { code, stderr } = await runInProcess(
      [...args, '--report', `html=${html}`, '--report', `json=${json}`],
      {
        cwd: root,
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as CheckReport;
    const findings = report.designs.flatMap((d) =>
      d.properties.flatMap((p) => (p.counterexample === undefined ? [] : [{ design: d.name, p }])),
    );
    expect(findings.length).toBeGreaterThan(2);

    const dom = browse(html, '--dump-dom');
    expect(dom.match(/<section class="finding"/g)).toHaveLength(findings.length);
    for (const { design, p } of findings) {
      const cx = p.counterexample;
      const shown = section(dom, design, p.id);
      expect(shown, `${design} ${p.id}`).toContain('<div class="seq">');
      expect(shown.match(/<details class="step/g)).toHaveLength(cx?.steps ?? -1);
      // Every `>` line of the text timeline is an offending row of the diagram.
      const marked = cx?.timeline.filter((step) => step.offending).length ?? -1;
      expect(shown.match(/<details class="step offending"/g)).toHaveLength(marked);
      expect(shown).toContain(`reproduce: <code>${cx?.reproduce ?? '?'}</code>`);
    }
    // The lanes and the matrix are there, and the page asked for nothing over the network.
    expect(dom).toContain('<table class="matrix">');
    expect(dom).not.toMatch(/https?:\/\//);

    const png = join(dir, 'report.png');
    browse(html, `--screenshot=${png}`);
    // A blank page of this size compresses to a few kB; the matrix and diagrams take far more.
    expect(statSync(png).size).toBeGreaterThan(60_000);
  }, 30_000);

  it('shows markup in a frame as text: a </script><b> frame opens no element', () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-escape-'));
    const file = join(dir, 'hostile.html');
    const hostile = '</script><b>bold</b>';
    const steps = diagramSteps(
      [
        {
          i: 0,
          t: 3,
          conn: 'c1',
          actor: 'net',
          action: 'wire',
          message: 'websocket.send',
          frame: { text: hostile },
        },
      ],
      [0],
    );
    writeFileSync(
      file,
      renderHtmlReport({
        title: hostile,
        about: [],
        properties: [],
        rows: [],
        legend: '',
        verdicts: [],
        sections: [],
        findings: [{ design: 'd', property: 'P1', title: hostile, message: hostile, steps }],
        verdict: 'fail',
        summary: hostile,
      }),
    );
    const dom = browse(file, '--dump-dom');
    // The page itself uses no <b>: one in the DOM would be the frame's.
    expect(dom).not.toMatch(/<b[\s>]/);
    expect(dom).toContain('&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(dom.match(/<details class="step offending"/g)).toHaveLength(1);
  }, 30_000);
});
