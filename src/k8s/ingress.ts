// How the gateway is reached from the edges: an Ingress that terminates TLS for the public host and
// passes gRPC to the gateway Service, and — when `acme` is given — the cert-manager ClusterIssuer that
// obtains its certificate from Let's Encrypt by HTTP-01 through the same ingress class.
import { clusterMeta, meta, type K8sObject } from './manifest.ts';
import { NAMES, PORTS } from './names.ts';
import type { K8sSpec } from './spec.ts';

/** Let's Encrypt's ACME directories. */
export const ACME_SERVERS = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
} as const;

/** The ClusterIssuer the Ingress names; '' when none (the TLS Secret is provided by hand). */
export function issuerName(spec: K8sSpec): string {
  const ingress = spec.gateway.ingress;
  return ingress.acme === undefined ? ingress.cluster_issuer : `letsencrypt-${ingress.acme.server}`;
}

/** The ClusterIssuer, when the spec asks for one. */
export function clusterIssuer(spec: K8sSpec): K8sObject | undefined {
  const acme = spec.gateway.ingress.acme;
  if (acme === undefined) return undefined;
  const name = issuerName(spec);
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: clusterMeta(name, 'gateway'),
    spec: {
      acme: {
        server: ACME_SERVERS[acme.server],
        email: acme.email,
        privateKeySecretRef: { name: `${name}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName: spec.gateway.ingress.class } } }],
      },
    },
  };
}

/**
 * nginx's body limit (`m` is MiB) for the receiver's largest message: one MiB more, as a gRPC request
 * body is the message plus its 5-byte frame header, and a message at the limit must pass.
 */
export function proxyBodySize(spec: K8sSpec): string {
  return `${spec.gateway.max_recv_msg_size_mib + 1}m`;
}

/** The Ingress; `service` is the gateway Service (the operator names its own). */
export function gatewayIngress(spec: K8sSpec, service: string = NAMES.gateway): K8sObject {
  const issuer = issuerName(spec);
  const annotations: Record<string, string> = {
    'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC',
    'nginx.ingress.kubernetes.io/proxy-body-size': proxyBodySize(spec),
    ...(issuer === '' ? {} : { 'cert-manager.io/cluster-issuer': issuer }),
  };
  const host = spec.gateway.host;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(NAMES.gateway, spec.gateway.namespace, 'gateway', annotations),
    spec: {
      ingressClassName: spec.gateway.ingress.class,
      tls: [{ hosts: [host], secretName: NAMES.tlsSecret }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: PORTS.otlpGrpc } } },
              },
            ],
          },
        },
      ],
    },
  };
}
