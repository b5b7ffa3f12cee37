// Go (RE2) regular expressions as written in collector configs, compiled to JS RegExp. Translates
// what differs and is common in configs: `(?P<name>...)` groups, leading `(?ims)` flags, `\A`, `\z`.

/** A compiled pattern and its capture groups in index order (undefined for an unnamed group). */
export interface GoPattern {
  readonly regex: RegExp;
  readonly groupNames: readonly (string | undefined)[];
}

interface Translation {
  source: string;
  flags: string;
  groupNames: (string | undefined)[];
}

/** Compiles a Go regular expression; undefined when it is not valid (or uses syntax JS lacks). */
export function compileGoPattern(pattern: string): GoPattern | undefined {
  const t = translate(pattern);
  if (t === undefined) return undefined;
  // Unicode mode first (\p{L} and astral characters as Go reads them); it rejects some escapes Go
  // accepts (`\-` outside a class), so fall back to the legacy mode.
  for (const flags of [`${t.flags}u`, t.flags]) {
    try {
      return { regex: new RegExp(t.source, flags), groupNames: t.groupNames };
    } catch {
      // try the next mode
    }
  }
  return undefined;
}

function translate(pattern: string): Translation | undefined {
  let i = 0;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead !== null) {
    const f = lead[1] as string;
    if (f.includes('U')) return undefined; // ungreedy mode has no JS equivalent
    flags = [...new Set(f)].join('');
    i = lead[0].length;
  }
  let source = '';
  let inClass = false;
  const groupNames: (string | undefined)[] = [];
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      source += next === 'A' && !inClass ? '(?<![\\s\\S])' : next === 'z' && !inClass ? '(?![\\s\\S])' : c + next;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      source += c;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '(') {
      const group = readGroupOpen(pattern, i);
      if (group.capture) groupNames.push(group.name);
      source += group.text;
      i += group.length;
      continue;
    }
    source += c;
    i++;
  }
  return { source, flags, groupNames };
}

/** Reads a group opening at `i`: plain `(`, `(?P<n>`, `(?<n>` capture; `(?:`, look-arounds do not. */
function readGroupOpen(
  p: string,
  i: number,
): { text: string; length: number; capture: boolean; name: string | undefined } {
  if (p[i + 1] !== '?') return { text: '(', length: 1, capture: true, name: undefined };
  const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(p.slice(i, i + 260));
  if (named !== null) {
    const name = named[1] as string;
    return { text: `(?<${name}>`, length: named[0].length, capture: true, name };
  }
  return { text: '(', length: 1, capture: false, name: undefined };
}
