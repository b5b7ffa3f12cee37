// `backend: all-in-one`: telegate's trace backend (OTLP in, in-memory store, Jaeger query API and UI)
// as one Deployment and its Service. Its store lives in the process, so it runs as exactly one
// replica with the Recreate strategy: this is the one stateful part of the topology.
import { meta, type K8sObject } from './manifest.ts';
import { NAMES, PORTS, selectorLabels } from './names.ts';
import { CONTAINER_SECURITY, POD_SECURITY, port, resources, tmpVolume } from './pod.ts';
import type { K8sSpec } from './spec.ts';

/** The backend container's requests and limits (the store holds up to 100,000 traces). */
export const BACKEND_RESOURCES = { cpu: '250m', memory: '512Mi', cpuLimit: '2', memoryLimit: '2Gi' };

/** The all-in-one Deployment and Service. */
export function backendObjects(spec: K8sSpec): K8sObject[] {
  const ns = spec.gateway.namespace;
  const tmp = tmpVolume();
  const ui = { httpGet: { path: '/', port: 'ui' } };
  const container = {
    name: 'all-in-one',
    image: spec.image,
    // Listen on the pod's addresses: the built-in config binds OTLP to localhost.
    args: [
      'all-in-one',
      `--set=receivers::otlp::protocols::grpc::endpoint=0.0.0.0:${PORTS.otlpGrpc}`,
      `--set=receivers::otlp::protocols::http::endpoint=0.0.0.0:${PORTS.otlpHttp}`,
    ],
    ports: [port('otlp-grpc', PORTS.otlpGrpc), port('otlp-http', PORTS.otlpHttp), port('ui', PORTS.ui)],
    readinessProbe: { ...ui, periodSeconds: 5 },
    livenessProbe: { ...ui, initialDelaySeconds: 10, periodSeconds: 10 },
    resources: resources(BACKEND_RESOURCES),
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [tmp.mount],
  };
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAMES.backend, ns, 'backend'),
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selectorLabels('backend') },
      template: {
        metadata: { labels: selectorLabels('backend') },
        spec: {
          securityContext: POD_SECURITY,
          automountServiceAccountToken: false,
          containers: [container],
          volumes: [tmp.volume],
        },
      },
    },
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAMES.backend, ns, 'backend'),
    spec: {
      selector: selectorLabels('backend'),
      ports: [
        { name: 'otlp-grpc', port: PORTS.otlpGrpc, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' },
        { name: 'otlp-http', port: PORTS.otlpHttp, targetPort: 'otlp-http', protocol: 'TCP' },
        { name: 'ui', port: PORTS.ui, targetPort: 'ui', protocol: 'TCP' },
      ],
    },
  };
  return [deployment, service];
}
