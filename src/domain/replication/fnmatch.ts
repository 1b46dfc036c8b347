// Python's fnmatch.fnmatchcase, which pyznap's `exclude` uses: `*` matches anything (also "/"),
// `?` one character, `[seq]` / `[!seq]` a set; the whole name must match.
export function fnmatch(name: string, pattern: string): boolean {
  return compile(pattern).test(name);
}

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const set = bracket(pattern, i);
      if (set) {
        re += set.re;
        i = set.end;
      } else re += '\\[';
    } else re += escape(c);
  }
  const compiled = new RegExp(`^${re}$`);
  cache.set(pattern, compiled);
  return compiled;
}

// "[...]" starting at `start`, as Python translates it; undefined when unterminated (a literal "[").
function bracket(p: string, start: number): { re: string; end: number } | undefined {
  let j = start + 1;
  if (p[j] === '!') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') j++;
  if (j >= p.length) return undefined;
  let body = p.slice(start + 1, j);
  const negate = body.startsWith('!');
  if (negate) body = body.slice(1);
  const inner = body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^').replace(/\[/g, '\\[').replace(/]/g, '\\]');
  return { re: `[${negate ? '^' : ''}${inner}]`, end: j };
}

function escape(c: string): string {
  return /[\\^$.|+(){}[\]]/.test(c) ? `\\${c}` : c;
}
