// What a doctor check produces: one result per step, as values, so that tests assert on the step, its
// outcome and its hint, and the printer (print.ts) and `--json` render the same thing.

/** The steps, in the order they run: each needs the one before it to have passed. */
export const STEPS = ['dns', 'tcp', 'tls', 'protocol', 'token', 'auth', 'size'] as const;

/** One step's name. */
export type StepName = (typeof STEPS)[number];

/** `skip`: not applicable (TLS on a plaintext endpoint) or not run because an earlier step failed. */
export type Outcome = 'pass' | 'fail' | 'skip';

/** The outcome of one step, in plain words. Never holds a secret. */
export interface StepResult {
  readonly step: StepName;
  readonly outcome: Outcome;
  /** What was checked and found (`127.0.0.1:4317 accepted a TCP connection`). */
  readonly detail: string;
  /** On failure: the likely cause, in plain words. */
  readonly cause?: string;
  /** On failure: what to change, naming the config key or the ingress setting. */
  readonly fix?: string;
  /** A stable tag for the failure (`expired`, `wrong-name`, `unauthenticated`, …), for tests and `--json`. */
  readonly finding?: string;
}

/** Every step of one exporter (or `--endpoint`) check. */
export interface TargetReport {
  /** The exporter id (`otlp/gateway`) or, with `--endpoint`, the endpoint. */
  readonly name: string;
  /** Where it sends (`gateway.example.com:443` or the URL). */
  readonly endpoint: string;
  readonly steps: readonly StepResult[];
}

/** True when no step of the report failed. */
export function passed(report: TargetReport): boolean {
  return report.steps.every((s) => s.outcome !== 'fail');
}

/** A passed step. */
export function pass(step: StepName, detail: string): StepResult {
  return { step, outcome: 'pass', detail };
}

/** A step that does not apply; `detail` says why. */
export function skip(step: StepName, detail: string): StepResult {
  return { step, outcome: 'skip', detail };
}

/** What a failed step reports. */
export interface Failure {
  readonly finding: string;
  readonly detail: string;
  readonly cause: string;
  readonly fix: string;
}

/** A failed step. */
export function fail(step: StepName, failure: Failure): StepResult {
  return { step, outcome: 'fail', ...failure };
}
