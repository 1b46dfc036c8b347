// A command line from the config, split the way sh splits words, but strictly: quotes and
// backslashes work as in sh; anything that needs a shell to mean something (pipes, redirects,
// $variables, globs, ~) is an error, because notify_command runs without a shell.
export type Words = { readonly argv: readonly string[] } | { readonly error: string };

const NEEDS_SHELL = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', ']']);
const HINT = "notify_command runs without a shell: quote it, or write sh -c '…' to get one";

export function splitShellWords(text: string): Words {
  const argv: string[] = [];
  let word: string | undefined; // undefined: between words
  let i = 0;
  const add = (s: string) => (word = (word ?? '') + s);
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) argv.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: `unbalanced ' (at character ${i + 1})` };
      add(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      const r = doubleQuoted(text, i + 1);
      if ('error' in r) return r;
      add(r.value);
      i = r.next;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { error: 'a trailing \\ escapes nothing' };
      add(text[i + 1]!);
      i += 2;
    } else if (NEEDS_SHELL.has(c) || ((c === '~' || c === '#') && word === undefined)) {
      return { error: `"${c}" (at character ${i + 1}) needs a shell; ${HINT}` };
    } else {
      add(c);
      i++;
    }
  }
  if (word !== undefined) argv.push(word);
  if (argv.length === 0) return { error: 'empty command' };
  return { argv };
}

// Inside "…": backslash escapes only " \ $ ` and newline (as in sh); $ and ` would expand.
function doubleQuoted(text: string, start: number): { value: string; next: number } | { error: string } {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, next: i + 1 };
    if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
      value += text[++i] === '\n' ? '' : text[i];
    } else if (c === '$' || c === '`') {
      return { error: `"${c}" inside "…" (at character ${i + 1}) needs a shell; ${HINT}` };
    } else value += c;
  }
  return { error: `unbalanced " (at character ${start})` };
}
