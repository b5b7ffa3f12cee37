// Pod parts every rendered workload shares: a restricted security context (non-root, read-only root
// filesystem, no privilege escalation, no capabilities), probes on the health_check port, and the
// config and Secret volumes. A Secret volume is mounted whole (never with subPath) so that the kubelet's
// symlink swap delivers a rotated password to the running process, which reloads it without a restart.
import { edgeQueueHostPath, NAMES, PATHS, PORTS } from './names.ts';
import { oidcOf, type K8sSpec } from './spec.ts';

/** The pod-level security context: a fixed non-root user, the runtime's default seccomp profile. */
export const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The container-level security context. */
export const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/** Requests and limits of a container. */
export interface Resources {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** The `resources` block. */
export function resources(r: Resources): Record<string, unknown> {
  return { requests: { cpu: r.cpu, memory: r.memory }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
}

/** Liveness and readiness on the health_check extension (its `/` answers 200 while healthy). */
export function healthProbes(): Record<string, unknown> {
  const httpGet = { path: '/', port: 'health' };
  return {
    readinessProbe: { httpGet, periodSeconds: 5, failureThreshold: 2 },
    livenessProbe: { httpGet, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
  };
}

/** A named container port. */
export function port(name: string, containerPort: number): Record<string, unknown> {
  return { name, containerPort, protocol: 'TCP' };
}

/** The container ports of a collector: OTLP in and the health endpoint. */
export function collectorPorts(withHttp: boolean): Record<string, unknown>[] {
  return [
    port('otlp-grpc', PORTS.otlpGrpc),
    ...(withHttp ? [port('otlp-http', PORTS.otlpHttp)] : []),
    port('health', PORTS.health),
  ];
}

/** The config volume (a ConfigMap) and its mount. */
export function configVolume(configMap: string): { volume: unknown; mount: unknown } {
  return {
    volume: { name: 'config', configMap: { name: configMap } },
    mount: { name: 'config', mountPath: PATHS.configDir, readOnly: true },
  };
}

/** The gateway's htpasswd Secret volume and its whole-directory mount; none with `auth: oidc`. */
export function htpasswdVolumes(spec: K8sSpec): { volumes: unknown[]; mounts: unknown[] } {
  if (oidcOf(spec) !== undefined) return { volumes: [], mounts: [] };
  return {
    volumes: [{ name: 'htpasswd', secret: { secretName: NAMES.htpasswdSecret } }],
    mounts: [{ name: 'htpasswd', mountPath: PATHS.htpasswdDir, readOnly: true }],
  };
}

/** A writable scratch directory: the root filesystem is read-only. */
export function tmpVolume(): { volume: unknown; mount: unknown } {
  return {
    volume: { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    mount: { name: 'tmp', mountPath: '/tmp' },
  };
}

/** The edge's persistent queue: a node directory, so the data outlives the pod (a rollout, an eviction). */
export function queueVolume(namespace: string): { volume: unknown; mount: unknown } {
  return {
    volume: { name: 'queue', hostPath: { path: edgeQueueHostPath(namespace), type: 'DirectoryOrCreate' } },
    mount: { name: 'queue', mountPath: PATHS.queueDir },
  };
}

/**
 * Makes the queue directory the collector's: the kubelet creates a hostPath as root and, unlike an
 * emptyDir, never applies `fsGroup` to it. Runs as root with only CAP_CHOWN, on the telegate image
 * (whose Debian base has `chown`; the contrib image has no shell tools).
 */
export function queueInitContainer(image: string): Record<string, unknown> {
  const id = `${POD_SECURITY.runAsUser}:${POD_SECURITY.runAsGroup}`;
  return {
    name: 'queue-owner',
    image,
    command: ['chown', id, PATHS.queueDir],
    resources: resources({ cpu: '10m', memory: '16Mi', cpuLimit: '100m', memoryLimit: '64Mi' }),
    securityContext: {
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['CHOWN'] },
    },
    volumeMounts: [{ name: 'queue', mountPath: PATHS.queueDir }],
  };
}
