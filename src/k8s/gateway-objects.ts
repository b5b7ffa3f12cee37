// The gateway's workload: its config as a ConfigMap, a Deployment of interchangeable replicas behind
// a Service, a PodDisruptionBudget and a CPU HorizontalPodAutoscaler. Replicas share no state a
// request depends on (every replica reads the same htpasswd Secret); what each keeps for itself — the
// credential cache and the login throttle's counts — only costs a replica its own first bcrypt checks.
import { createHash } from 'node:crypto';
import { meta, type K8sObject } from './manifest.ts';
import { NAMES, PATHS, PORTS, selectorLabels } from './names.ts';
import {
  collectorPorts,
  configVolume,
  CONTAINER_SECURITY,
  healthProbes,
  htpasswdVolumes,
  POD_SECURITY,
  resources,
  tmpVolume,
} from './pod.ts';
import { collectorArgs, collectorImage, type CollectorConfig, type Runtime } from './runtime.ts';
import type { K8sSpec } from './spec.ts';
import { toYaml } from './yaml-writer.ts';

/** The gateway container's requests and limits; memory_limiter works from the memory limit. */
export const GATEWAY_RESOURCES = { cpu: '250m', memory: '256Mi', cpuLimit: '2', memoryLimit: '1Gi' };

/** A ConfigMap holding a collector config under `config.yaml`. */
export function configMap(name: string, namespace: string, component: string, config: CollectorConfig): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(name, namespace, component),
    data: { [PATHS.configFile]: toYaml(config) },
  };
}

/** A short digest of a config: a pod template annotation, so that a changed config rolls the pods. */
export function configDigest(config: CollectorConfig): string {
  return createHash('sha256').update(toYaml(config)).digest('hex').slice(0, 16);
}

/** The gateway Deployment. */
export function gatewayDeployment(spec: K8sSpec, runtime: Runtime, config: CollectorConfig): K8sObject {
  const ns = spec.gateway.namespace;
  const cfg = configVolume(NAMES.gatewayConfig);
  const htpasswd = htpasswdVolumes(spec);
  const tmp = tmpVolume();
  const container = {
    name: 'collector',
    image: collectorImage(spec, runtime),
    args: collectorArgs(),
    ports: collectorPorts(false),
    ...healthProbes(),
    resources: resources(GATEWAY_RESOURCES),
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [cfg.mount, ...htpasswd.mounts, tmp.mount],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAMES.gateway, ns, 'gateway'),
    // No `replicas`: the HPA owns the count, and an applied replicas field would reset it.
    spec: {
      selector: { matchLabels: selectorLabels('gateway') },
      template: {
        metadata: {
          labels: selectorLabels('gateway'),
          annotations: { 'telegate.dev/config-digest': configDigest(config) },
        },
        spec: {
          securityContext: POD_SECURITY,
          automountServiceAccountToken: false,
          containers: [container],
          volumes: [cfg.volume, ...htpasswd.volumes, tmp.volume],
        },
      },
    },
  };
}

/** The gateway Service the Ingress sends to. */
export function gatewayService(spec: K8sSpec): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAMES.gateway, spec.gateway.namespace, 'gateway'),
    spec: {
      selector: selectorLabels('gateway'),
      ports: [
        { name: 'otlp-grpc', port: PORTS.otlpGrpc, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' },
      ],
    },
  };
}

/** Keeps one gateway replica up through voluntary disruptions (node drains). */
export function gatewayPdb(spec: K8sSpec): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(NAMES.gateway, spec.gateway.namespace, 'gateway'),
    spec: { minAvailable: 1, selector: { matchLabels: selectorLabels('gateway') } },
  };
}

/** Scales the gateway on CPU: the gateway outgrows one machine by adding replicas behind the ingress. */
export function gatewayHpa(spec: K8sSpec): K8sObject {
  const r = spec.gateway.replicas;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(NAMES.gateway, spec.gateway.namespace, 'gateway'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAMES.gateway },
      minReplicas: r.min,
      maxReplicas: r.max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: r.cpu_utilization } },
        },
      ],
    },
  };
}
