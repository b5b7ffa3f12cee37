// Writes rendered objects as YAML text that is the same for the same input: keys in the order the
// builders set them, no timestamps, long strings never folded, one document per object.
import { stringify } from 'yaml';
import type { K8sObject } from './manifest.ts';

// Shared values (one security context in many pods) are written in full: anchors would make a
// file's text depend on which object came first and are unusual in manifests.
const OPTIONS = { lineWidth: 0, minContentWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false } as const;

/** One value as YAML (a collector config inside a ConfigMap). */
export function toYaml(value: unknown): string {
  return stringify(value, OPTIONS);
}

/** A file of objects: a header comment, then each object as its own document. */
export function objectsToYaml(header: readonly string[], objects: readonly K8sObject[]): string {
  const head = header.map((line) => `# ${line}\n`).join('');
  return head + objects.map((o) => `---\n${toYaml(o)}`).join('');
}
