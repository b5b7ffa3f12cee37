// `${…}` expansion as Go's confmap does it (confmap/expand.go, provider/envprovider): `${env:NAME}`,
// `${NAME}` (the default scheme is env), `${env:NAME:-default}`, `${file:path}`, `${yaml:…}`; a value
// that is one whole reference takes the YAML type of what it expands to; `$$` is a literal `$`.
// Runs on the merged tree, after all --config files and --set flags (as Go does).
import { readFileSync } from 'node:fs';
import type { ConfigNode, Source } from './node.ts';
import { joinPath, scalar } from './node.ts';
import { IssueList } from './issues.ts';
import { findReference } from './expand-find.ts';
import { parseYamlNode } from './yaml-node.ts';

/** Where expansion reads variables from. */
export interface ExpandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly issues: IssueList;
}

/** The value a reference expands to: its text and its YAML reading. */
interface Retrieved {
  readonly text: string;
  readonly node: ConfigNode;
}

class ExpandError extends Error {}

// Go allows 1000 rounds (a variable whose value holds another reference is expanded again).
const MAX_ROUNDS = 1000;
const SCHEME_URI = /^([A-Za-z][A-Za-z0-9+.-]+):(.*)$/s;
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SUPPORTED =
  'telegate expands ${env:NAME}, ${NAME}, ${env:NAME:-default}, ${file:path} and ${yaml:inline}; write $$ for a literal $.';

/** Expands every string value below `node` (keys are never expanded, as in Go). */
export function expandTree(node: ConfigNode, ctx: ExpandContext, path = ''): ConfigNode {
  if (node.kind === 'map') {
    const entries = new Map(
      [...node.entries].map(([k, e]) => [
        k,
        { keySource: e.keySource, value: expandTree(e.value, ctx, joinPath(path, k)) },
      ]),
    );
    return { kind: 'map', entries, source: node.source };
  }
  if (node.kind === 'list')
    return {
      kind: 'list',
      items: node.items.map((item, i) => expandTree(item, ctx, `${path}[${i}]`)),
      source: node.source,
    };
  if (typeof node.value !== 'string') return node;
  try {
    return unescapeDollars(expandString(node.value, node.source, ctx, path));
  } catch (err) {
    if (!(err instanceof ExpandError)) throw err;
    ctx.issues.error({ path, source: node.source, message: err.message, hint: SUPPORTED, code: 'TG_CONFIG_EXPAND' });
    return node;
  }
}

function expandString(input: string, source: Source | undefined, ctx: ExpandContext, path: string): ConfigNode {
  let text = input;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ref = findReference(text);
    if (ref === undefined) return scalar(text, source);
    const uri = text.slice(ref.start, ref.end);
    const got = retrieve(uri.slice(2, -1), source, ctx, path);
    if (uri === text) {
      // A whole-value reference: typed by its YAML, keeping the text for string fields.
      if (got.node.kind !== 'scalar') return got.node;
      if (typeof got.node.value !== 'string') return scalar(got.node.value, source, got.text);
      text = got.text;
      continue;
    }
    text = text.replaceAll(uri, got.text);
  }
  throw new ExpandError(
    `cannot expand ${JSON.stringify(input)}: too many recursive expansions (a variable refers to itself?)`,
  );
}

function retrieve(inner: string, source: Source | undefined, ctx: ExpandContext, path: string): Retrieved {
  const uri = inner.includes(':') ? inner : `env:${inner}`;
  const m = SCHEME_URI.exec(uri);
  if (m === null) throw new ExpandError(`cannot expand \${${inner}}: invalid reference ${JSON.stringify(uri)}`);
  const [, scheme = '', opaque = ''] = m;
  if (opaque.includes('$'))
    throw new ExpandError(`cannot expand \${${inner}}: the reference contains unsupported characters ('$')`);
  if (scheme === 'env') return retrieveEnv(opaque, source, ctx, path);
  if (scheme === 'file') return fromYaml(readFileText(opaque), source);
  if (scheme === 'yaml') return fromYaml(opaque, source);
  throw new ExpandError(`cannot expand \${${inner}}: scheme "${scheme}" is not supported`);
}

function retrieveEnv(opaque: string, source: Source | undefined, ctx: ExpandContext, path: string): Retrieved {
  const cut = opaque.indexOf(':-');
  const name = cut < 0 ? opaque : opaque.slice(0, cut);
  const fallback = cut < 0 ? undefined : opaque.slice(cut + 2);
  if (!ENV_NAME.test(name))
    throw new ExpandError(
      `cannot expand \${env:${opaque}}: environment variable ${JSON.stringify(name)} has an invalid name (letters, digits and _, not starting with a digit)`,
    );
  const value = ctx.env[name];
  if (value !== undefined) return fromYaml(value, source);
  // An explicitly empty default is the empty string, not null (envprovider does the same).
  if (fallback === '') return { text: '', node: scalar('', source) };
  if (fallback !== undefined) return fromYaml(fallback, source);
  ctx.issues.warning({
    path,
    source,
    message: `environment variable ${name} is not set; \${${opaque}} expands to an empty value`,
    hint: `Set ${name}, or give a default: \${env:${name}:-value}.`,
    code: 'TG_CONFIG_ENV_UNSET',
  });
  return fromYaml('', source);
}

// Go's NewRetrievedFromYAML: text that is not valid YAML, or reads as a string, is used verbatim.
function fromYaml(text: string, source: Source | undefined): Retrieved {
  const node = parseYamlNode(text, source?.file ?? '', new IssueList(), source);
  if (node === undefined || (node.kind === 'scalar' && typeof node.value === 'string'))
    return { text, node: scalar(text, source) };
  return { text, node };
}

function readFileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ExpandError(
      `cannot expand \${file:${path}}: cannot read the file (${String((err as NodeJS.ErrnoException).code)})`,
    );
  }
}

// After expansion every `$$` in a string becomes `$` (Go's escapeDollarSigns), in typed values' text too.
function unescapeDollars(node: ConfigNode): ConfigNode {
  if (node.kind !== 'scalar') return node;
  const value = typeof node.value === 'string' ? node.value.replaceAll('$$', '$') : node.value;
  return node.original === undefined
    ? scalar(value, node.source)
    : scalar(value, node.source, node.original.replaceAll('$$', '$'));
}
