import { bytesText } from '../../domain/units.js';
import type { CompareDoc, PlanDoc, TreeDoc } from './docs.js';
import { type Html, html } from './html.js';
import { type Overview, STATE_TONE, type Tone } from './models.js';

// The pages, server-rendered. Every value goes through `html` (escaped); the only script is
// /static/ui.js (the CSP allows nothing inline).

export interface PageContext {
  readonly title: string;
  readonly config: string;
  readonly readOnly: boolean;
  readonly csrf: string;
}

const NAV: readonly [string, string][] = [
  ['/', 'Overview'],
  ['/tree', 'Tree'],
  ['/compare', 'Compare'],
  ['/plan', 'Plan'],
  ['/wizard', 'Wizard'],
];

export function layout(p: PageContext, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${p.title} · holdfast</title>
<link rel="stylesheet" href="/static/ui.css"><script src="/static/ui.js" defer></script></head>
<body><header><strong>holdfast</strong> <span class="muted">${p.config}</span>${p.readOnly ? html` <span class="tag warn">read-only</span>` : ''}
<nav>${NAV.map(([href, name]) => html`<a href="${href}"${name === p.title ? html` class="here"` : ''}>${name}</a>`)}</nav></header>
<main><h1>${p.title}</h1>${body}</main></body></html>`.text;
}

const tag = (tone: Tone, text: string): Html => html`<span class="tag ${tone}">${text}</span>`;

export function overviewPage(o: Overview): Html {
  const dests = [...new Set(o.rows.flatMap((r) => r.dests.map((d) => d.label)))];
  return html`<section class="verdict ${o.verdict.tone}" id="verdict"><span class="tag ${o.verdict.tone}">${o.verdict.status}</span> ${o.verdict.summary}</section>
${o.problems.length ? html`<ul class="problems">${o.problems.map((p) => html`<li class="bad">${p}</li>`)}</ul>` : ''}
<table id="overview"><thead><tr><th>section</th><th>dataset</th>${o.countKeys.map((k) => html`<th class="num">${k}</th>`)}<th>newest</th><th class="num">age</th>${dests.map((d) => html`<th>${d}</th>`)}</tr></thead>
<tbody>${o.rows.map(
    (r) =>
      html`<tr data-dataset="${r.dataset}"><td>${r.section ?? '-'}</td><td class="ds">${'\u00a0\u00a0'.repeat(r.depth)}<a href="/plan#${r.dataset}">${r.dataset}</a></td>${o.countKeys.map((k) => html`<td class="num">${r.counts[k] || ''}</td>`)}<td class="snap">${r.newest ?? '-'}</td><td class="num age">${r.age}</td>${dests.map(
        (label) => {
          const d = r.dests.find((x) => x.label === label);
          return d
            ? html`<td class="dest" data-dest="${d.dest}" data-state="${d.state}" data-lag="${d.lagSec ?? ''}">${tag(d.tone, d.state)} <span class="lag">${d.lag}</span>${d.behind ? html` <span class="muted">(${d.behind} behind)</span>` : ''}</td>`
            : html`<td class="muted">-</td>`;
        },
      )}</tr>`,
  )}</tbody></table>
${o.stores.length ? html`<h2>Stores</h2><table id="stores"><tbody>${o.stores.map((s) => html`<tr><td>${s.store}</td><td>${tag(s.tone, s.tone === 'ok' ? 'OK' : 'BROKEN')} ${s.text}</td></tr>`)}</tbody></table>` : ''}
<h2>Checks (monitor)</h2><table id="checks"><tbody>${o.checks.map((c) => html`<tr><td>${tag(c.tone, c.status)}</td><td>${c.message}</td></tr>`)}</tbody></table>`;
}

export function treePage(doc: TreeDoc): Html {
  return html`${doc.trees.map(
    (t) => html`<h2>${t.label} <span class="muted">${t.role}${t.section ? html` · [${t.section}]` : ''}</span></h2>
${t.problem ? html`<p class="bad">${t.problem}</p>` : ''}
<table class="tree"><thead><tr><th>dataset</th><th class="num">snapshots</th><th>newest</th><th class="num">used</th><th class="num">refer</th><th class="num">ratio</th></tr></thead><tbody>
${t.datasets.map(
  (d) =>
    html`<tr><td class="ds">${'\u00a0\u00a0'.repeat(d.depth)}${d.dataset}</td><td class="num">${d.snapshots}</td><td class="snap">${d.newest?.name ?? '-'}</td><td class="num">${d.used === null ? '-' : bytesText(d.used)}</td><td class="num">${d.referenced === null ? '-' : bytesText(d.referenced)}</td><td class="num">${d.compressratio === null ? '-' : `${d.compressratio.toFixed(2)}x`}</td></tr>`,
)}</tbody></table>`,
  )}`;
}

const WHERE_TONE: Readonly<Record<string, Tone>> = { both: 'ok', source: 'warn', target: 'warn', differs: 'bad' };

export function comparePage(doc: CompareDoc): Html {
  return html`${doc.pairs.map(
    (p) => html`<h2>${p.source} → ${p.dest}${p.section ? html` <span class="muted">[${p.section}]</span>` : ''}</h2>
${p.problem ? html`<p class="bad">${p.problem}</p>` : ''}
${p.datasets.map(
  (
    d,
  ) => html`<details class="pair" data-source="${d.source}"><summary>${tag(STATE_TONE[d.state], d.state)} <span class="ds">${d.source}</span> → <span class="ds">${d.dest}</span>
<span class="muted">common ${d.counts.common}, source-only ${d.counts.sourceOnly}, target-only ${d.counts.targetOnly}${d.counts.differs ? `, differ ${d.counts.differs}` : ''}; base ${d.base ?? 'none'}</span></summary>
${d.conflicts.map((c) => html`<p class="bad">${c.kind}: ${c.text}</p>`)}
<table class="snaps"><thead><tr><th>source</th><th>target</th></tr></thead><tbody>${d.snapshots.map(
    (s) =>
      html`<tr class="${WHERE_TONE[s.where] ?? 'muted'}"><td>${s.where === 'target' ? '' : s.name}</td><td>${s.where === 'source' ? '' : s.name}${s.where === 'differs' ? ' (other guid)' : ''}</td></tr>`,
  )}</tbody></table></details>`,
)}`,
  )}`;
}

export function planPage(doc: PlanDoc): Html {
  return html`<p class="muted">What <code>holdfast snap</code> would take and destroy now, and why (the same plan as <code>holdfast plan</code>).</p>
${doc.failures.map((f) => html`<p class="bad">${f.target}: ${f.message}</p>`)}
${doc.hosts.map(
  (h) =>
    html`<h2>${h.host}</h2>${h.datasets.map(
      (d) => html`<section class="dataset" id="${d.dataset}"><h3>${d.dataset} <span class="muted">[${d.section}]</span></h3>
<ul>${d.take.filter((t) => t.due).map((t) => html`<li class="ok">take ${t.snapName ?? t.type}: ${t.why}</li>`)}</ul>
<table class="verdicts"><tbody>${d.snapshots.map((s) => html`<tr class="${s.keep ? 'ok' : 'bad'}"><td>${s.keep ? 'keep' : 'destroy'}</td><td class="snap">${s.name}</td><td>${s.reasons.join('; ')}</td></tr>`)}</tbody></table></section>`,
    )}`,
)}`;
}

// A wizard step: its plan (text lines as the CLI's --dry-run prints them), then Run or Skip.
export interface StepView {
  readonly step: 'snap' | 'send' | 'cleanup';
  readonly next: string; // the next step's page
  readonly lines: readonly string[]; // the plan as the CLI prints it
  readonly details?: Html;
  readonly nothing: boolean; // nothing to do
  readonly error?: string;
}

const STEPS = ['snap', 'send', 'cleanup'] as const;

export function stepPage(p: PageContext, v: StepView): Html {
  return html`<ol class="steps">${STEPS.map((s, i) => html`<li class="${s === v.step ? 'here' : ''}"><a href="/wizard/${s}">${i + 1}. ${s}</a></li>`)}</ol>
${v.error ? html`<p class="bad" id="plan-error">${v.error}</p>` : ''}
<h2>Plan</h2><pre id="plan">${v.lines.length ? v.lines.join('\n') : 'nothing to do'}</pre>${v.details ?? ''}
<form method="post" action="/wizard/${v.step}" class="confirm" id="confirm">
<input type="hidden" name="csrf" value="${p.csrf}">
${p.readOnly ? html`<p class="muted">read-only: nothing runs</p>` : html`<button type="submit" id="run"${v.nothing || v.error ? ' disabled' : ''}>Run ${v.step}</button>`}
<a href="${v.next}" id="skip">Skip</a></form>`;
}

export function jobPage(id: string, step: string, next: string): Html {
  return html`<p><span id="state">Running</span> <strong>${step}</strong></p>
<ul id="progress" data-events="/api/jobs/${id}/events"></ul>
<p id="result" class="muted">running</p>
<p><a href="${next}" id="next" hidden>Next</a></p>`;
}
