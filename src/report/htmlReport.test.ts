import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../trace/types.ts';
import { escapeHtml, renderHtmlReport, type HtmlReportModel } from './htmlReport.ts';
import { properties } from '../properties/index.ts';
import { renderTimeline } from './timeline.ts';
import { diagramSteps } from './timelineSteps.ts';

const hostile = '</script><b>bold</b><img src=x onerror=alert(1)>';

const trace: TraceRecord[] = [
  { i: 0, t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } },
  { i: 1, t: 1, conn: 'c1', actor: 'client', action: 'connect' },
  { i: 2, t: 5, conn: 'c1', actor: 'workload', action: 'emit', detail: { eventId: 'e1', type: 'x' } },
  {
    i: 3,
    t: 5,
    conn: 'c1',
    actor: 'net',
    action: 'wire',
    message: 'websocket.send',
    frame: { text: hostile },
  },
  {
    i: 4,
    t: 9,
    conn: 'c1',
    actor: 'app',
    action: 'send',
    message: 'websocket.send',
    error: `Cannot call "send" ${hostile}`,
    errorKind: 'RuntimeError',
  },
];

function model(): HtmlReportModel {
  const finding = (property: 'P2' | 'P13', offending: readonly number[]) => ({
    design: 'naive',
    property,
    title: `naive  ${property} title ${hostile}`,
    facts: 'lan; first failure after 3 runs',
    message: `message ${hostile}`,
    steps: diagramSteps(trace, offending),
    reproduce: `npx ws-lifecycle replay --design 'a${hostile}' --seed 1 --path 1:0 --profile lan`,
  });
  return {
    title: 'ws-lifecycle check (seed 1)',
    about: ['seed 1'],
    properties: properties.map((p) => ({ id: p.id, name: p.name })),
    rows: [
      {
        name: `naive${hostile}`,
        matches: true,
        cells: properties.map((p) => ({
          id: p.id,
          text: p.id === 'P2' ? 'X*' : 'ok',
          status: p.id === 'P2' ? 'violated' : 'held',
        })),
      },
    ],
    legend: 'ok held, X violated',
    verdicts: ['naive: matches its expectation'],
    sections: [{ title: 'Readings', text: `reading ${hostile}` }],
    findings: [finding('P2', [4]), finding('P13', [3, 1])],
    verdict: 'pass',
    summary: '1 design, 2 violations, 0 mismatches',
  };
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(model());

  it('escapes every string from traces, messages and names', () => {
    expect(html).not.toContain('</script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;');
    // The quote of a shell word cannot close an attribute either.
    expect(html).not.toMatch(/'a<\/script>/);
  });

  it('is self-contained: no script, no link, nothing fetched over the network', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('draws one diagram per counterexample with a row per step', () => {
    expect(html.match(/<section class="finding"/g)).toHaveLength(2);
    expect(html.match(/<div class="seq">/g)).toHaveLength(2);
    expect(html.match(/<details class="step/g)).toHaveLength(2 * trace.length);
    expect(html).toContain('data-design="naive" data-property="P13"');
  });

  it('marks the offending steps, and only those', () => {
    const offending = [...html.matchAll(/<details class="step offending" data-i="(\d+)"/g)].map((m) => m[1]);
    expect(offending).toEqual(['4', '1', '3']);
  });

  it('keeps each step trace entry behind its <details>', () => {
    const row = html.split('<details ').find((d) => d.includes('data-i="3"')) ?? '';
    expect(row).toContain('<pre class="entry">');
    expect(row).toContain('&quot;actor&quot;: &quot;net&quot;');
  });

  it('draws a frame on the wire as an arrow from the app lane to the client lane', () => {
    const wire = html.split('<details ').find((d) => d.includes('data-actor="net"')) ?? '';
    expect(wire).toContain('class="arrow rtl a-app" style="--a:0;--b:2"');
  });
});

describe('diagramSteps', () => {
  it('says what each step did in the words of the text timeline', () => {
    const lines = renderTimeline(trace, [4]).split('\n');
    const steps = diagramSteps(trace, [4]);
    steps.forEach((s, k) => {
      expect(lines[k]).toContain(s.what);
      expect(lines[k]?.startsWith('>')).toBe(s.offending);
      if (s.error !== undefined) expect(lines[k]).toContain(`! ${s.error}`);
    });
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that open markup or close attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });
});
