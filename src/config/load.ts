// Reads the config sources of a command line into one tree: each --config (a file path, `file:`,
// `yaml:<inline>` or `env:NAME`, as the Go collector accepts) merged over the previous ones, then
// each --set flag. Every node keeps its file:line:column (or the --set flag it came from).
import { readFile } from 'node:fs/promises';
import type { ConfigNode, Source } from './node.ts';
import { emptyMap, isNull } from './node.ts';
import { IssueList } from './issues.ts';
import { insertEntry, mergeNodes } from './merge.ts';
import { parseYamlNode } from './yaml-node.ts';

/** The command-line inputs of a config. */
export interface LoadInput {
  readonly configs: readonly string[];
  readonly sets: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

type ConfigUri =
  | { readonly scheme: 'file'; readonly path: string }
  | { readonly scheme: 'yaml'; readonly text: string }
  | { readonly scheme: 'env'; readonly name: string }
  | { readonly scheme: 'unsupported'; readonly name: string };

// Go's rules: no ':' or a Windows drive letter means a file; otherwise `scheme:opaque`.
const DRIVE_LETTER = /^[A-Za-z]:[\\/]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):(.*)$/s;

/** Classifies one --config value. */
export function parseConfigUri(value: string): ConfigUri {
  if (DRIVE_LETTER.test(value)) return { scheme: 'file', path: value };
  const m = SCHEME.exec(value);
  if (m === null) return { scheme: 'file', path: value };
  const [, scheme = '', rest = ''] = m;
  if (scheme === 'file') return { scheme: 'file', path: rest };
  if (scheme === 'yaml') return { scheme: 'yaml', text: rest };
  if (scheme === 'env') return { scheme: 'env', name: rest };
  return { scheme: 'unsupported', name: scheme };
}

/** Loads and merges every source; undefined when no usable tree could be read. */
export async function loadSources(input: LoadInput, issues: IssueList): Promise<ConfigNode | undefined> {
  let merged: ConfigNode | undefined;
  let failed = false;
  for (const [index, value] of input.configs.entries()) {
    const node = await loadOne(value, index, input.env, issues);
    if (node === undefined) failed = true;
    else merged = merged === undefined ? node : mergeNodes(merged, node);
  }
  for (const flag of input.sets) {
    const node = parseSetFlag(flag, issues);
    if (node === undefined) failed = true;
    else merged = merged === undefined ? node : mergeNodes(merged, node);
  }
  if (failed) return undefined;
  return merged ?? emptyMap({ file: '(no config)', line: 0, column: 0 });
}

async function loadOne(
  value: string,
  index: number,
  env: NodeJS.ProcessEnv,
  issues: IssueList,
): Promise<ConfigNode | undefined> {
  const uri = parseConfigUri(value);
  const flag: Source = {
    file: `--config ${value.length > 40 ? `${value.slice(0, 37)}...` : value}`,
    line: 0,
    column: 0,
  };
  switch (uri.scheme) {
    case 'file': {
      const text = await readConfigFile(uri.path, flag, issues);
      return text === undefined ? undefined : asRoot(parseYamlNode(text, uri.path, issues), uri.path, issues);
    }
    case 'yaml':
      return asRoot(parseYamlNode(uri.text, `--config #${index + 1} (yaml:)`, issues), flag.file, issues);
    case 'env': {
      const text = env[uri.name];
      if (text === undefined) {
        issues.error({
          path: '',
          source: flag,
          message: `environment variable ${uri.name} is not set`,
          hint: 'Set it to a YAML config, or pass a file path to --config.',
          code: 'TG_CONFIG_READ',
        });
        return undefined;
      }
      return asRoot(parseYamlNode(text, `env:${uri.name}`, issues), flag.file, issues);
    }
    case 'unsupported':
      issues.error({
        path: '',
        source: flag,
        message: `unsupported scheme "${uri.name}" in --config ${JSON.stringify(value)}`,
        hint: 'telegate reads --config FILE, file:FILE, yaml:INLINE and env:NAME (http and https sources are not supported).',
        code: 'TG_CONFIG_READ',
      });
      return undefined;
  }
}

async function readConfigFile(path: string, flag: Source, issues: IssueList): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code);
    issues.error({
      path: '',
      source: flag,
      message: `cannot read config file ${JSON.stringify(path)}: ${why}`,
      hint: 'Check the path given to --config.',
      code: 'TG_CONFIG_READ',
    });
    return undefined;
  }
}

// An empty source is an empty map (Go: an empty file adds nothing); a list or scalar at the top is an error.
function asRoot(node: ConfigNode | undefined, label: string, issues: IssueList): ConfigNode | undefined {
  if (node === undefined) return undefined;
  if (isNull(node)) return emptyMap(node.source);
  if (node.kind === 'map') return node;
  issues.error({
    path: '',
    source: node.source ?? { file: label, line: 0, column: 0 },
    message: `the config must be a map of sections (receivers, exporters, service, …), got ${node.kind === 'list' ? 'a list' : 'a single value'}`,
    code: 'TG_CONFIG_READ',
  });
  return undefined;
}

const SET_HINT =
  'Write --set key::path=value, e.g. --set receivers::otlp::protocols::grpc::endpoint=127.0.0.1:4317 (`.` also separates keys).';

/**
 * Parses one --set flag as the Go collector does: the text before the first `=` is the key path
 * (`::` or `.` separate keys), the rest is a YAML value. Returns a tree holding only that value.
 */
export function parseSetFlag(flag: string, issues: IssueList): ConfigNode | undefined {
  const source: Source = { file: `--set ${flag}`, line: 0, column: 0 };
  const eq = flag.indexOf('=');
  const keys = eq < 0 ? [] : flag.slice(0, eq).trim().replaceAll('.', '::').split('::');
  const bad =
    eq < 0
      ? 'it has no `=` between the key and the value'
      : keys.some((k) => k.trim() === '')
        ? 'its key path has an empty key'
        : undefined;
  if (bad !== undefined) {
    issues.error({
      path: '',
      source,
      message: `bad --set ${JSON.stringify(flag)}: ${bad}`,
      hint: SET_HINT,
      code: 'TG_CONFIG_SET_FLAG',
    });
    return undefined;
  }
  // The value's YAML errors are folded into one issue that names the flag.
  const yamlIssues = new IssueList();
  const value = parseYamlNode(flag.slice(eq + 1).trim(), source.file, yamlIssues, source);
  if (value === undefined) {
    const why = yamlIssues.items[0]?.message ?? 'not valid YAML';
    issues.error({
      path: keys.join('.'),
      source,
      message: `bad --set ${JSON.stringify(flag)}: the value is ${why}`,
      hint: 'Quote the value, e.g. --set \'key="a: b"\'.',
      code: 'TG_CONFIG_SET_FLAG',
    });
    return undefined;
  }
  const root = emptyMap(source);
  insertEntry(
    root,
    keys.map((k) => k.trim()),
    { keySource: source, value },
  );
  return root;
}
