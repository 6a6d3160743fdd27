/**
 * The report as one self-contained HTML page (`--report html=FILE`): the design x property
 * matrix, then every counterexample as a sequence diagram with a lane per actor, one row
 * per timeline step, the offending steps marked, each step's trace entry behind a
 * `<details>`. Inline CSS only: no script, no font, no image, nothing fetched.
 */
import type { Actor } from '../trace/types.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import type { CheckVerdict } from './checkReport.ts';
import type { DiagramStep } from './timelineSteps.ts';

/** One cell of the matrix: the text report's cell text and the status it stands for. */
export interface HtmlCell {
  readonly id: PropertyId;
  /** `ok`, `X*`, `nc`, `-`, ... as the text matrix prints it. */
  readonly text: string;
  readonly status: PropertyStatus;
}

/** One row of the matrix: a design (or a trace file). */
export interface HtmlRow {
  readonly name: string;
  /** The row matches its expectation. */
  readonly matches: boolean;
  readonly cells: readonly HtmlCell[];
}

/** One counterexample: what the diagram draws. */
export interface HtmlFinding {
  readonly design: string;
  readonly property: PropertyId;
  /** e.g. `naive  P3 order-and-seq (expected)`. */
  readonly title: string;
  /** e.g. `lan; first failure after 12 runs; 7 steps after 30 shrinks`. */
  readonly facts?: string;
  readonly message: string;
  /** Said above the steps when earlier ones were left out (a long real recording). */
  readonly skipped?: string;
  readonly steps: readonly DiagramStep[];
  /** The command that replays the run, when it can be replayed. */
  readonly reproduce?: string;
}

/** A titled block of the text report shown as is (paths, readings). */
export interface HtmlSection {
  readonly title: string;
  readonly text: string;
}

/** Everything the page shows. */
export interface HtmlReportModel {
  /** e.g. `ws-lifecycle check (seed 1)`. */
  readonly title: string;
  /** Lines under the title: seed, profiles, runs. */
  readonly about: readonly string[];
  readonly properties: readonly { readonly id: PropertyId; readonly name: string }[];
  readonly rows: readonly HtmlRow[];
  readonly legend: string;
  /** Each row's verdict, as the text report prints it under the matrix. */
  readonly verdicts: readonly string[];
  readonly sections: readonly HtmlSection[];
  readonly findings: readonly HtmlFinding[];
  readonly verdict: CheckVerdict;
  /** e.g. `6 designs, 31 violations, 0 mismatches`. */
  readonly summary: string;
}

/** The lanes, left to right: the browser, the wire, the server's socket calls, the design, what drives it. */
export const lanes: readonly Actor[] = ['client', 'net', 'app', 'design', 'workload', 'harness'];

const laneTitle: Readonly<Record<Actor, string>> = {
  client: 'client (browser)',
  net: 'net (wire)',
  app: 'app (socket)',
  design: 'design',
  workload: 'workload',
  harness: 'harness',
};

/**
 * Text made safe for HTML content and attribute values: `& < > " '` escaped, characters
 * HTML cannot carry dropped. Pure.
 *
 * @example escapeHtml('</script><b>'); // '&lt;/script&gt;&lt;b&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '');
}

const esc = escapeHtml;

/**
 * How a checker's failure looks (the ERROR verdict, an `ERR` cell): inline, so the page of a
 * check where no checker failed keeps its stylesheet byte for byte.
 */
const errorStyle = ' style="background:#8250df;color:#fff;font-weight:700"';

/**
 * Where a step draws between lanes: an arrow from one lane to another (a frame on the wire
 * goes from the server's socket to the browser), or a mark on its own lane.
 */
function stroke(s: DiagramStep): { readonly from: Actor; readonly to: Actor } {
  const key = `${s.actor}/${s.action}`;
  switch (key) {
    case 'net/wire':
      return { from: 'app', to: 'client' };
    case 'client/connect':
    case 'client/message':
    case 'client/close':
    case 'client/abrupt':
      return { from: 'client', to: 'app' };
    case 'workload/emit':
    case 'workload/broadcast':
    case 'workload/appClose':
    case 'workload/closeCalled':
      return { from: 'workload', to: 'design' };
    case 'workload/emitReturned':
      return { from: 'design', to: 'workload' };
    case 'app/received':
      return { from: 'net', to: 'app' };
    default:
      return { from: s.actor, to: s.actor };
  }
}

function laneCell(s: DiagramStep): string {
  const { from, to } = stroke(s);
  const a = lanes.indexOf(from);
  const b = lanes.indexOf(to);
  const dot = `<i class="dot a-${s.actor}" style="--l:${lanes.indexOf(s.actor)}"></i>`;
  if (a === b) return `<span class="lanes">${dot}</span>`;
  const dir = a < b ? 'ltr' : 'rtl';
  const arrow = `<i class="arrow ${dir} a-${from}" style="--a:${Math.min(a, b)};--b:${Math.max(a, b)}"></i>`;
  return `<span class="lanes">${arrow}${dot}</span>`;
}

function stepRow(s: DiagramStep): string {
  const phase = s.phase === undefined ? '' : ` <span class="phase">=&gt; ${esc(s.phase)}</span>`;
  const error = s.error === undefined ? '' : ` <span class="error">! ${esc(s.error)}</span>`;
  const mark = s.offending
    ? '<span class="mark" title="offending step">&#9654;</span>'
    : '<span class="mark"></span>';
  return [
    `<details class="step${s.offending ? ' offending' : ''}" data-i="${s.i}" data-actor="${esc(s.actor)}">`,
    `<summary>${mark}<span class="t">${s.t}ms</span><span class="conn">${esc(s.conn ?? '-')}</span>`,
    laneCell(s),
    `<span class="actor a-${s.actor}">${esc(s.actor)}</span><span class="what">${esc(s.what)}${phase}${error}</span></summary>`,
    `<pre class="entry">${esc(JSON.stringify(s.entry, null, 2))}</pre>`,
    '</details>',
  ].join('');
}

function diagram(f: HtmlFinding): string {
  const heads = lanes.map((l) => `<span class="lane-h a-${l}" title="${esc(laneTitle[l])}">${esc(l)}</span>`);
  const head = `<div class="seq-head"><span class="mark"></span><span class="t">time</span><span class="conn">conn</span><span class="lanes">${heads.join('')}</span><span class="actor">actor</span><span class="what">what</span></div>`;
  const skipped = f.skipped === undefined ? '' : `<p class="skipped">${esc(f.skipped)}</p>`;
  return `<div class="seq">${head}${skipped}${f.steps.map(stepRow).join('\n')}</div>`;
}

function findingId(k: number): string {
  return `cx-${k + 1}`;
}

function finding(f: HtmlFinding, k: number): string {
  const offending = f.steps.filter((s) => s.offending).length;
  return [
    `<section class="finding" id="${findingId(k)}" data-design="${esc(f.design)}" data-property="${esc(f.property)}">`,
    `<h3>${esc(f.title)}</h3>`,
    f.facts === undefined ? '' : `<p class="facts">${esc(f.facts)}</p>`,
    `<p class="message">${esc(f.message)}</p>`,
    `<p class="facts">${f.steps.length} steps, ${offending} offending (&#9654;)</p>`,
    diagram(f),
    f.reproduce === undefined ? '' : `<p class="reproduce">reproduce: <code>${esc(f.reproduce)}</code></p>`,
    '</section>',
  ].join('\n');
}

function matrix(m: HtmlReportModel): string {
  const head = m.properties.map((p) => `<th title="${esc(p.name)}">${esc(p.id)}</th>`).join('');
  const rows = m.rows.map((r) => {
    const cells = r.cells.map((c) => {
      const cls = c.text.endsWith('!') ? 'missing' : c.status;
      const inline = c.status === 'checker-error' ? errorStyle : '';
      return `<td class="c-${cls}"${inline} title="${esc(`${c.id}: ${c.status}`)}">${esc(c.text)}</td>`;
    });
    return `<tr><th class="name${r.matches ? '' : ' mismatch'}">${esc(r.name)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix"><thead><tr><th>design</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function findingsIndex(m: HtmlReportModel): string {
  if (m.findings.length === 0) return '<p>No counterexample.</p>';
  const items = m.findings.map((f, k) => `<li><a href="#${findingId(k)}">${esc(f.title)}</a></li>`);
  const key = lanes.map((l) => `<span class="key a-${l}">&#9679; ${esc(laneTitle[l])}</span>`).join(' ');
  const how =
    'A lane per actor, a row per step of the shrunk run; an arrow is a frame or call between lanes. &#9654; marks an offending step; open a row for its trace entry.';
  return `<ol class="index">${items.join('')}</ol><p class="lanes-key">${key}</p><p class="facts">${how}</p>`;
}

/**
 * The page of a report model: an HTML document that needs nothing but itself. Pure; the same
 * model gives the same bytes.
 *
 * @example
 * await writeFile('report.html', renderHtmlReport(model));
 */
export function renderHtmlReport(m: HtmlReportModel): string {
  const sections = m.sections.map(
    (s) => `<section class="text"><h2>${esc(s.title)}</h2><pre>${esc(s.text)}</pre></section>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(m.title)}</title>`,
    `<style>${style}</style>`,
    '</head><body>',
    `<header><h1>${esc(m.title)}</h1><p class="verdict v-${m.verdict}"${m.verdict === 'error' ? errorStyle : ''}>${m.verdict.toUpperCase()}</p><p class="summary">${esc(m.summary)}</p></header>`,
    m.about.length === 0 ? '' : `<pre class="about">${esc(m.about.join('\n'))}</pre>`,
    '<h2>Matrix</h2>',
    matrix(m),
    `<p class="legend">${esc(m.legend)}</p>`,
    m.verdicts.length === 0 ? '' : `<pre class="verdicts">${esc(m.verdicts.join('\n'))}</pre>`,
    `<h2>Counterexamples (${m.findings.length})</h2>`,
    findingsIndex(m),
    ...m.findings.map(finding),
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

const laneColours: Readonly<Record<Actor, string>> = {
  client: '#1f6feb',
  net: '#8250df',
  app: '#1a7f37',
  design: '#bc4c00',
  workload: '#0b7285',
  harness: '#6e7781',
};

const laneWidth = 58;

const style = `
:root{--lw:${laneWidth}px;--n:${lanes.length};font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff}
body{margin:1.5rem;max-width:1400px}
h1{font-size:1.4rem;margin:0 1rem 0 0;display:inline-block}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1rem;font-family:ui-monospace,"DejaVu Sans Mono",monospace;margin:.2rem 0}
header{display:flex;align-items:center;gap:1rem;flex-wrap:wrap}
.verdict{font-weight:700;padding:.15rem .6rem;border-radius:4px;color:#fff;margin:0}
.v-pass{background:#1a7f37}.v-fail{background:#cf222e}
.summary{margin:0;color:#57606a}
pre,code,.seq,.matrix{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f6f8fa;padding:.6rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
.matrix{border-collapse:collapse}
.matrix th,.matrix td{border:1px solid #d0d7de;padding:.2rem .45rem;text-align:center}
.matrix thead th{background:#f6f8fa}
.matrix th.name{text-align:left;font-weight:600}
.matrix th.mismatch{color:#cf222e}
.c-held{background:#dafbe1;color:#1a7f37}
.c-violated{background:#ffebe9;color:#cf222e;font-weight:700}
.c-missing{background:#cf222e;color:#fff;font-weight:700}
.c-not-exercised{background:#fff8c5;color:#9a6700}
.c-not-applicable{color:#8c959f}
.legend,.facts{color:#57606a;font-size:.85rem}
.index{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
.finding{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;margin:1.2rem 0}
.message{font-weight:600;margin:.3rem 0}
.reproduce code{background:#f6f8fa;padding:.15rem .4rem;border-radius:4px;word-break:break-all}
.seq{border:1px solid #d0d7de;border-radius:6px;overflow:hidden}
.seq-head,.step>summary{display:grid;grid-template-columns:1.4rem 4.8rem 2.6rem calc(var(--lw)*var(--n)) 5.5rem 1fr;align-items:center}
.seq-head{background:#f6f8fa;font-weight:600;position:sticky;top:0;z-index:2;border-bottom:1px solid #d0d7de}
.seq-head .lanes{display:flex;align-items:center;background:none}
.lane-h{width:var(--lw);text-align:center;font-size:11px;overflow:hidden;text-overflow:ellipsis}
.step>summary{cursor:pointer;list-style:none;min-height:1.7rem;border-bottom:1px solid #eaeef2}
.step>summary::-webkit-details-marker{display:none}
.step>summary:hover{background:#f6f8fa}
.step.offending>summary{background:#ffebe9;box-shadow:inset 4px 0 0 #cf222e}
.step.offending .what{font-weight:600}
.mark{color:#cf222e;text-align:center}
.t{text-align:right;padding-right:.5rem;color:#57606a}
.conn{color:#57606a}
.what{padding:.2rem .5rem;white-space:pre-wrap;word-break:break-word}
.phase{color:#8250df}
.error{color:#cf222e}
.lanes{position:relative;align-self:stretch;min-height:1.7rem;background:repeating-linear-gradient(to right,transparent 0,transparent calc(var(--lw)/2 - 1px),#d0d7de calc(var(--lw)/2 - 1px),#d0d7de calc(var(--lw)/2 + 1px),transparent calc(var(--lw)/2 + 1px),transparent var(--lw))}
.dot{position:absolute;top:50%;left:calc(var(--l)*var(--lw) + var(--lw)/2);width:10px;height:10px;margin:-5px 0 0 -5px;border-radius:50%;background:currentColor;z-index:1}
.offending .dot{width:14px;height:14px;margin:-7px 0 0 -7px;box-shadow:0 0 0 2px #fff,0 0 0 4px #cf222e}
.arrow{position:absolute;top:50%;height:0;border-top:2px solid currentColor;left:calc(var(--a)*var(--lw) + var(--lw)/2);width:calc((var(--b) - var(--a))*var(--lw))}
.arrow::after{content:"";position:absolute;top:-6px;border:5px solid transparent}
.arrow.ltr::after{right:-2px;border-left:8px solid currentColor;border-right:0}
.arrow.rtl::after{left:-2px;border-right:8px solid currentColor;border-left:0}
.entry{margin:0;border-radius:0;border-bottom:1px solid #eaeef2;padding-left:9rem}
.skipped{margin:0;padding:.3rem .5rem;color:#57606a;font-style:italic}
${lanes.map((l) => `.a-${l}{color:${laneColours[l]}}`).join('\n')}
.actor{font-weight:600}
.lanes-key{font-size:.85rem}
.key{margin-right:1rem;font-weight:600}
.text pre{max-height:40rem}
`;
