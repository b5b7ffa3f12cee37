// An edge cluster's workload: the collector as a DaemonSet (one per node, watching only its node's
// pods), a node-local Service the node's pods send to, and a trace generator Deployment that can be
// scaled to zero. The password reaches the collector as an env variable from the edge's Secret.
import { configDigest } from './gateway-objects.ts';
import { meta, type K8sObject } from './manifest.ts';
import { EDGE_PASSWORD_ENV, NAMES, NODE_NAME_ENV, PORTS, selectorLabels } from './names.ts';
import {
  collectorPorts,
  configVolume,
  CONTAINER_SECURITY,
  healthProbes,
  POD_SECURITY,
  queueInitContainer,
  queueVolume,
  resources,
  tmpVolume,
} from './pod.ts';
import { collectorArgs, collectorImage, type CollectorConfig, type Runtime } from './runtime.ts';
import { edgeSecretKey, type EdgeSpec, type K8sSpec } from './spec.ts';

/** An edge collector's requests and limits: it runs on every node, so it is kept small. */
export const EDGE_RESOURCES = { cpu: '100m', memory: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' };

/** The env of an edge collector: its node's name (downward API) and its password (Secret). */
export function edgeEnv(spec: K8sSpec): Record<string, unknown>[] {
  const key = edgeSecretKey(spec);
  return [
    { name: NODE_NAME_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    { name: EDGE_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: NAMES.edgeSecret, key } } },
  ];
}

/** The edge DaemonSet. */
export function edgeDaemonSet(spec: K8sSpec, namespace: string, runtime: Runtime, config: CollectorConfig): K8sObject {
  const cfg = configVolume(NAMES.edgeConfig);
  const tmp = tmpVolume();
  const queue = queueVolume(namespace);
  const container = {
    name: 'collector',
    image: collectorImage(spec, runtime),
    args: collectorArgs(),
    env: edgeEnv(spec),
    ports: collectorPorts(true),
    ...healthProbes(),
    resources: resources(EDGE_RESOURCES),
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [cfg.mount, tmp.mount, queue.mount],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(NAMES.edge, namespace, 'edge'),
    spec: {
      selector: { matchLabels: selectorLabels('edge') },
      template: {
        metadata: {
          labels: selectorLabels('edge'),
          annotations: { 'telegate.dev/config-digest': configDigest(config) },
        },
        spec: {
          serviceAccountName: NAMES.edge,
          securityContext: POD_SECURITY,
          initContainers: [queueInitContainer(spec.image)],
          containers: [container],
          volumes: [cfg.volume, tmp.volume, queue.volume],
        },
      },
    },
  };
}

/** The edge Service: node-local, so a pod's data reaches its own node's collector (and its pod IP). */
export function edgeService(namespace: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAMES.edge, namespace, 'edge'),
    spec: {
      selector: selectorLabels('edge'),
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'otlp-grpc', port: PORTS.otlpGrpc, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' },
        { name: 'otlp-http', port: PORTS.otlpHttp, targetPort: 'otlp-http', protocol: 'TCP' },
      ],
    },
  };
}

/** The trace generator: `telegate gen traces` at a steady rate, forever; scale it to zero to stop. */
export function generatorDeployment(spec: K8sSpec, edge: EdgeSpec, namespace: string, service: string): K8sObject {
  const container = {
    name: 'tracegen',
    image: spec.image,
    args: [
      'gen',
      'traces',
      `--otlp-endpoint=${service}:${PORTS.otlpGrpc}`,
      '--otlp-insecure',
      `--rate=${edge.generator.rate}`,
      '--duration=inf',
      `--service=tracegen-${edge.cluster}`,
    ],
    resources: resources({ cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' }),
    securityContext: CONTAINER_SECURITY,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAMES.generator, namespace, 'tracegen'),
    spec: {
      replicas: edge.generator.replicas,
      selector: { matchLabels: selectorLabels('tracegen') },
      template: {
        metadata: { labels: selectorLabels('tracegen') },
        spec: { securityContext: POD_SECURITY, automountServiceAccountToken: false, containers: [container] },
      },
    },
  };
}
