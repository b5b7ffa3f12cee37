// The `k8sattributes` processor factory: Go's type name and stability (beta for every signal).
import type { ProcessorFactory } from '../../../contracts/component.ts';
import {
  K8sAttributesConfigSchema,
  nodeFilterProblem,
  validateK8sAttributesConfig,
  type K8sAttributesConfig,
} from './config.ts';
import { K8sAttributesProcessor } from './k8sattributes-processor.ts';
import { rbacNeeds, rbacNote } from './rbac.ts';
import { compileRules } from './rules.ts';

/** Tags spans, metrics and logs with the metadata of the pod that sent them. */
export const k8sAttributesFactory: ProcessorFactory<K8sAttributesConfig> = {
  kind: 'processor',
  type: 'k8sattributes',
  stability: { traces: 'beta', metrics: 'beta', logs: 'beta' },
  description:
    'Adds Kubernetes metadata (pod, namespace, node, workload, labels, annotations) of the sending pod to Resource attributes.',
  configSchema: K8sAttributesConfigSchema,
  validate: (config) => validateK8sAttributesConfig(config as K8sAttributesConfig),
  notes: (config) => {
    const cfg = config as K8sAttributesConfig;
    const notes: string[] = [];
    const rbac = rbacNote(rbacNeeds(compileRules(cfg), cfg.passthrough));
    if (rbac !== undefined) notes.push(rbac);
    const env = cfg.passthrough ? undefined : nodeFilterProblem(cfg, process.env);
    if (env !== undefined) notes.push(`${env} here; it must be at run time (the downward API's spec.nodeName)`);
    return notes;
  },
  create: (settings, config, _signal, next) => new K8sAttributesProcessor(settings, config, next),
};
