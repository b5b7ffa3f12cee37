// `--operator`: the collectors as OpenTelemetryCollector resources (opentelemetry.io/v1beta1) for the
// OpenTelemetry Operator, which then makes their Deployment or DaemonSet, Service, HPA and PDB. The
// config is inline in the resource (v1beta1 takes it as an object); Secrets, RBAC, the Ingress, the
// backend and the generator stay as they are. The operator names its Service `<name>-collector`.
import { edgeEnv, EDGE_RESOURCES } from './edge-objects.ts';
import { GATEWAY_RESOURCES } from './gateway-objects.ts';
import { meta, type K8sObject } from './manifest.ts';
import { NAMES } from './names.ts';
import {
  CONTAINER_SECURITY,
  htpasswdVolumes,
  POD_SECURITY,
  queueInitContainer,
  queueVolume,
  resources,
  tmpVolume,
} from './pod.ts';
import { collectorImage, type CollectorConfig, type Runtime } from './runtime.ts';
import type { K8sSpec } from './spec.ts';

/** The Service the operator makes for a collector named `name`. */
export function operatorService(name: string): string {
  return `${name}-collector`;
}

/** The gateway as an OpenTelemetryCollector in deployment mode, with its autoscaler and PDB. */
export function operatorGateway(spec: K8sSpec, runtime: Runtime, config: CollectorConfig): K8sObject {
  const htpasswd = htpasswdVolumes(spec);
  const tmp = tmpVolume();
  const r = spec.gateway.replicas;
  return collector(NAMES.gateway, spec.gateway.namespace, 'gateway', {
    mode: 'deployment',
    image: collectorImage(spec, runtime),
    // No `replicas`: with an autoscaler the operator's HPA owns the count.
    autoscaler: { minReplicas: r.min, maxReplicas: r.max, targetCPUUtilization: r.cpu_utilization },
    podDisruptionBudget: { minAvailable: 1 },
    resources: resources(GATEWAY_RESOURCES),
    podSecurityContext: POD_SECURITY,
    securityContext: CONTAINER_SECURITY,
    volumes: [...htpasswd.volumes, tmp.volume],
    volumeMounts: [...htpasswd.mounts, tmp.mount],
    config,
  });
}

/** An edge as an OpenTelemetryCollector in daemonset mode. */
export function operatorEdge(spec: K8sSpec, namespace: string, runtime: Runtime, config: CollectorConfig): K8sObject {
  const tmp = tmpVolume();
  const queue = queueVolume(namespace);
  return collector(NAMES.edge, namespace, 'edge', {
    mode: 'daemonset',
    image: collectorImage(spec, runtime),
    serviceAccount: NAMES.edge,
    env: edgeEnv(spec),
    resources: resources(EDGE_RESOURCES),
    podSecurityContext: POD_SECURITY,
    securityContext: CONTAINER_SECURITY,
    initContainers: [queueInitContainer(spec.image)],
    volumes: [tmp.volume, queue.volume],
    volumeMounts: [tmp.mount, queue.mount],
    config,
  });
}

function collector(name: string, namespace: string, component: string, spec: Record<string, unknown>): K8sObject {
  return {
    apiVersion: 'opentelemetry.io/v1beta1',
    kind: 'OpenTelemetryCollector',
    metadata: meta(name, namespace, component),
    spec: { ...spec, upgradeStrategy: 'none' },
  };
}
