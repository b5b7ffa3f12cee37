// The Secrets a render writes — the only objects that hold credentials — and reading them back from
// an earlier render's output, so that rendering again keeps the passwords (and the files) as they are.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { EdgeCredential, ExistingCredentials } from './credentials.ts';
import { htpasswdText } from './credentials.ts';
import { meta, type K8sObject } from './manifest.ts';
import { NAMES, PATHS } from './names.ts';
import { edgeSecretKey, type K8sSpec } from './spec.ts';

/** The gateway's htpasswd Secret (bcrypt hashes, one line per edge). */
export function htpasswdSecret(spec: K8sSpec, credentials: readonly EdgeCredential[]): K8sObject {
  return secret(NAMES.htpasswdSecret, spec.gateway.namespace, 'gateway', {
    [PATHS.htpasswdFile]: htpasswdText(credentials),
  });
}

/** One edge's password Secret, in the edge's namespace. */
export function edgeSecret(spec: K8sSpec, namespace: string, credential: EdgeCredential): K8sObject {
  return secret(NAMES.edgeSecret, namespace, 'edge', { [edgeSecretKey(spec)]: credential.password });
}

function secret(name: string, namespace: string, component: string, stringData: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name, namespace, component), type: 'Opaque', stringData };
}

/** The file (relative to --out) each Secret is written to, so that a later render finds it. */
export function secretFile(cluster: string, name: string): string {
  return join(cluster, `05-secret-${name}.yaml`);
}

/** The credentials found under `outDir` from an earlier render (none when it holds no Secrets). */
export function readExistingCredentials(outDir: string, spec: K8sSpec): ExistingCredentials {
  const passwords = new Map<string, string>();
  for (const edge of spec.edges) {
    const value = secretValue(join(outDir, secretFile(edge.cluster, NAMES.edgeSecret)), edgeSecretKey(spec));
    if (value !== undefined && value !== '') passwords.set(edge.cluster, value);
  }
  const htpasswd = secretValue(
    join(outDir, secretFile(spec.gateway.cluster, NAMES.htpasswdSecret)),
    PATHS.htpasswdFile,
  );
  return { passwords, hashes: parseHtpasswdLines(htpasswd ?? '') };
}

function parseHtpasswdLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return out;
}

/** A key of the Secret in `path`, from stringData or (base64) data; undefined when absent. */
export function secretValue(path: string, key: string): string | undefined {
  if (!existsSync(path)) return undefined;
  for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
    const obj = doc.toJS() as {
      kind?: unknown;
      stringData?: Record<string, unknown>;
      data?: Record<string, unknown>;
    } | null;
    if (obj?.kind !== 'Secret') continue;
    const plain = obj.stringData?.[key];
    if (typeof plain === 'string') return plain;
    const encoded = obj.data?.[key];
    if (typeof encoded === 'string') return Buffer.from(encoded, 'base64').toString('utf8');
  }
  return undefined;
}
