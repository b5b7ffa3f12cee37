// Hot path: see bench/k8sattributes.ts.
// Pod association (Go: pod_association.go and WatchClient.getIdentifiersFromAssoc): the identifier
// keys a pod is indexed under, and the key a Resource (plus the connection's address) looks up. A
// key is its sources joined: `c\0<ip>` for the connection, `r\0<name>\0<value>` for an attribute.
import { isIP } from 'node:net';
import type { KeyValue } from '../../../pdata/attributes.ts';
import type { PodFields } from './kube-objects.ts';
import type { AssociationSource } from './rules.ts';

const SEP = '\u0001';

function connectionKey(ip: string): string {
  return `c\u0000${ip}`;
}

function attributeKey(name: string, value: string): string {
  return `r\u0000${name}\u0000${value}`;
}

function sourceKey(s: AssociationSource, value: string): string {
  return s.from === 'connection' ? connectionKey(value) : attributeKey(s.name, value);
}

/** Every key a pod is found by: one per association that resolves, then Go's defaults (uid, IP). */
export function identifiersOfPod(p: PodFields, associations: readonly (readonly AssociationSource[])[]): string[] {
  // Pods on the host network share the node's IP: an IP says nothing about which pod sent (Go).
  const ip = p.hostNetwork ? '' : p.ip;
  const keys: string[] = [];
  for (const sources of associations) {
    const parts: string[] = [];
    for (const s of sources) {
      const v = s.from === 'connection' ? ip : podValue(p, s.name, ip);
      if (v === '') break;
      parts.push(sourceKey(s, v));
    }
    if (parts.length === sources.length) keys.push(parts.join(SEP));
  }
  if (p.meta.uid !== '') keys.push(attributeKey('k8s.pod.uid', p.meta.uid));
  if (ip !== '') keys.push(connectionKey(ip), attributeKey('k8s.pod.ip', ip));
  return keys;
}

function podValue(p: PodFields, name: string, ip: string): string {
  switch (name) {
    case 'k8s.namespace.name':
      return p.meta.namespace;
    case 'k8s.pod.name':
      return p.meta.name;
    case 'k8s.pod.uid':
      return p.meta.uid;
    case 'host.name':
    case 'k8s.pod.ip':
      return ip;
    default:
      return '';
  }
}

/** The string value of an attribute, or '' (Go's stringAttributeFromMap). */
export function stringAttr(attrs: readonly KeyValue[], key: string): string {
  for (let i = 0; i < attrs.length; i++) {
    const kv = attrs[i] as KeyValue;
    if (kv.key === key) return kv.value.type === 'string' ? kv.value.value : '';
  }
  return '';
}

/** What the lookup found: the key and, when the connection was a source, its address. */
export interface ResourceIdentifier {
  readonly key: string;
  readonly connectionIp: string;
}

const NONE: ResourceIdentifier = { key: '', connectionIp: '' };

/** The key of a Resource under the configured associations, or Go's default when there are none. */
export function identifierOfResource(
  attrs: readonly KeyValue[],
  clientIp: string,
  associations: readonly (readonly AssociationSource[])[],
): ResourceIdentifier {
  if (associations.length === 0) return defaultIdentifier(attrs, clientIp);
  for (const sources of associations) {
    let key = '';
    let connectionIp = '';
    let ok = true;
    for (const s of sources) {
      const v = s.from === 'connection' ? clientIp : stringAttr(attrs, s.name);
      if (v === '' || (s.name === 'host.name' && isIP(v) === 0)) {
        ok = false;
        break;
      }
      if (s.from === 'connection') connectionIp = v;
      key = key === '' ? sourceKey(s, v) : key + SEP + sourceKey(s, v);
    }
    if (ok) return { key, connectionIp };
  }
  return NONE;
}

// Go's extractPodIDNoAssociations: k8s.pod.ip, then `ip`, then the connection, then an IP host.name;
// each is looked up as a connection identifier (the pod's IP).
function defaultIdentifier(attrs: readonly KeyValue[], clientIp: string): ResourceIdentifier {
  const podIp = stringAttr(attrs, 'k8s.pod.ip');
  if (podIp !== '') return { key: connectionKey(podIp), connectionIp: podIp };
  const ip = stringAttr(attrs, 'ip');
  if (ip !== '') return { key: connectionKey(ip), connectionIp: ip };
  if (clientIp !== '') return { key: connectionKey(clientIp), connectionIp: clientIp };
  const host = stringAttr(attrs, 'host.name');
  if (host !== '' && isIP(host) !== 0) return { key: connectionKey(host), connectionIp: host };
  return NONE;
}

/** The IP of a `host:port` / `[v6]:port` client address; IPv4-mapped IPv6 becomes IPv4. */
export function ipOfAddress(address: string | undefined): string {
  if (address === undefined || address === '') return '';
  let host = address;
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else if (host.includes(':') && host.indexOf(':') === host.lastIndexOf(':')) host = host.slice(0, host.indexOf(':'));
  if (host.startsWith('::ffff:') && isIP(host.slice(7)) === 4) host = host.slice(7);
  return isIP(host) === 0 ? '' : host;
}
