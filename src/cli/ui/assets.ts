// The UI's only stylesheet and script, served from /static/ (no inline code: the CSP forbids it).

export const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#eceff1;padding:.5em 1em;display:flex;gap:1em;align-items:center}
header .muted{color:#90a4ae}
nav a{color:#eceff1;margin-right:1em;text-decoration:none}nav a.here{text-decoration:underline}
main{padding:1em}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.num{text-align:right}.ds,.snap,pre,code{font-family:ui-monospace,monospace}
.tag{display:inline-block;padding:0 .4em;border-radius:3px;font-weight:600;font-size:12px}
.tag.ok{background:#c8e6c9;color:#1b5e20}.tag.warn{background:#fff3c4;color:#795500}.tag.bad{background:#ffcdd2;color:#b71c1c}.tag.muted{background:#eee;color:#666}
tr.ok td,p.ok{color:#1b5e20}tr.warn td{color:#8a6100}tr.bad td,p.bad,li.bad{color:#b71c1c}li.ok{color:#1b5e20}
.muted{color:#777}
.verdict{padding:.6em;border-radius:4px;margin-bottom:1em}.verdict.ok{background:#e8f5e9}.verdict.warn{background:#fffde7}.verdict.bad{background:#ffebee}
pre{background:#263238;color:#eceff1;padding:.8em;overflow:auto;white-space:pre-wrap;word-break:break-all}
ol.steps{list-style:none;display:flex;gap:1em;padding:0}ol.steps li.here a{font-weight:700}
#progress{font-family:ui-monospace,monospace;list-style:none;padding:0}#progress li.warn{color:#8a6100}#progress li.error{color:#b71c1c}
button{font-size:15px;padding:.3em 1em}
`;

// Live progress of a wizard step: the job's events (Server-Sent Events), one line per dataset
// or transfer (a transfer's line is replaced as its figures come), then the result.
export const JS = `
document.addEventListener('DOMContentLoaded', () => {
  const list = document.getElementById('progress');
  if (!list) return;
  const lines = new Map();
  const source = new EventSource(list.dataset.events);
  // Each connection replays the step from its first line: a reconnect starts the list afresh.
  source.addEventListener('open', () => {
    list.textContent = '';
    lines.clear();
  });
  source.addEventListener('line', (m) => {
    const e = JSON.parse(m.data);
    let li = e.key ? lines.get(e.key) : undefined;
    if (!li) {
      li = document.createElement('li');
      list.appendChild(li);
      if (e.key) lines.set(e.key, li);
    }
    li.className = e.level;
    li.textContent = e.text;
  });
  source.addEventListener('done', (m) => {
    const e = JSON.parse(m.data);
    source.close();
    const result = document.getElementById('result');
    result.textContent = e.text;
    result.className = e.ok ? 'ok done' : 'bad done';
    const state = document.getElementById('state');
    if (state) state.textContent = e.ok ? 'Done:' : 'Stopped:';
    const next = document.getElementById('next');
    if (next) next.hidden = false;
  });
});
`;
