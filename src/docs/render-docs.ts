// Renders the reference docs that are generated from code: docs/errors.md from the error catalogue
// and docs/components/<kind>-<type>.md from each factory's config schema (STYLE.md rules 2 and 4).
// `npm run docs` writes them; a test fails when the committed files are stale.
import type { Factory } from '../contracts/component.ts';
import { ERRORS } from '../errors/catalogue.ts';
import { grpcStatusName } from '../errors/grpc-status.ts';

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: unknown;
  'x-tg'?: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** docs/errors.md: every coded error with its statuses, retryability and how to fix it. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERRORS).map(
    ([code, e]) =>
      `| \`${code}\` | ${grpcStatusName(e.grpc)} | ${e.http} | ${e.retryable ? 'yes' : 'no'} | ${cell(e.summary)} | ${cell(e.hint)} |`,
  );
  return [
    '# Error codes',
    '',
    'Generated from `src/errors/catalogue.ts` by `npm run docs`; do not edit by hand.',
    'Each error telegate reports carries one of these codes. On the data path the gRPC and HTTP statuses',
    'follow the OTLP specification; "retryable" says whether a client should send the data again.',
    '',
    '| code | gRPC status | HTTP status | retryable | what it means | how to fix it |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function typeLabel(s: SchemaNode): string {
  const kind = s['x-tg'];
  if (kind === 'duration') return 'duration';
  if (kind === 'bytes') return 'size';
  if (kind === 'secret') return 'string (secret)';
  if (kind === 'secretMap') return 'map of strings (secret values)';
  if (kind === 'any') return 'any';
  if (s.anyOf) {
    const consts = s.anyOf.map((a) => a.const).filter((c) => c !== undefined);
    if (consts.length === s.anyOf.length) return consts.map((c) => `\`${JSON.stringify(c)}\``).join(' / ');
    return s.anyOf.map(typeLabel).join(' or ');
  }
  if (s.type === 'array') return `list of ${s.items ? typeLabel(s.items) : 'values'}`;
  return s.type ?? 'value';
}

function defaultLabel(s: SchemaNode): string {
  if (s.default === undefined) return '';
  if (s.default === '') return '`""`';
  if (typeof s.default === 'object' && s.default !== null)
    return Object.keys(s.default).length === 0 ? '' : `\`${JSON.stringify(s.default)}\``;
  return `\`${JSON.stringify(s.default)}\``;
}

function optionRows(s: SchemaNode, prefix: string, out: string[]): string[] {
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(`| \`${path}\` | ${cell(typeLabel(sub))} | ${cell(defaultLabel(sub))} | ${cell(sub.description ?? '')} |`);
    optionRows(sub, path, out);
    if (sub.items?.properties) optionRows(sub.items, `${path}[]`, out);
  }
  return out;
}

/** docs/components/<kind>-<type>.md for one factory. */
export function renderComponentDoc(f: Factory): string {
  const signals = Object.entries(f.stability)
    .map(([signal, level]) => `${signal}: ${level}`)
    .join(', ');
  const lines = [
    `# ${f.kind} \`${f.type}\``,
    '',
    "Generated from the component's config schema by `npm run docs`; do not edit by hand.",
    '',
    f.description,
    '',
    `Stability: ${signals}.`,
  ];
  if (f.deprecation !== undefined) lines.push('', `**Deprecated:** ${f.deprecation}`);
  lines.push(
    '',
    '| option | type | default | description |',
    '| --- | --- | --- | --- |',
    ...optionRows(f.configSchema, '', []),
    '',
  );
  return lines.join('\n');
}

/** Every generated file: path relative to the repository root → content. */
export function renderAllDocs(factories: readonly Factory[]): Map<string, string> {
  const files = new Map<string, string>([['docs/errors.md', renderErrorsDoc()]]);
  for (const f of factories) files.set(`docs/components/${f.kind}-${f.type}.md`, renderComponentDoc(f));
  return files;
}
