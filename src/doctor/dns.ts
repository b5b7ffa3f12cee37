// Step 1: the endpoint's host resolves (the system resolver, as the exporter's connection uses it).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errorCode } from './error-code.ts';
import { fail, pass, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** The addresses found, for the TCP step; empty when the step failed. */
export interface DnsOutcome {
  readonly result: StepResult;
  readonly addresses: readonly string[];
}

/** Resolves the target's host. */
export async function checkDns(target: DoctorTarget): Promise<DnsOutcome> {
  if (isIP(target.host) !== 0)
    return { result: pass('dns', `${target.host} is an IP address (nothing to resolve)`), addresses: [target.host] };
  try {
    const found = await lookup(target.host, { all: true });
    const addresses = found.map((a) => a.address);
    return { result: pass('dns', `${target.host} resolves to ${addresses.join(', ')}`), addresses };
  } catch (err) {
    return { result: dnsFailure(target, errorCode(err)), addresses: [] };
  }
}

function dnsFailure(target: DoctorTarget, code: string): StepResult {
  const temporary = code === 'EAI_AGAIN';
  return fail('dns', {
    finding: temporary ? 'dns-unavailable' : 'dns-not-found',
    detail: `${target.host} does not resolve (${code || 'lookup failed'})`,
    cause: temporary
      ? 'the DNS server did not answer (no network, or no resolver reachable from here)'
      : `no DNS record for ${target.host}: a typo in the endpoint, or a name only known inside another cluster`,
    fix: `check the host in the endpoint of ${target.name}; from a pod, a service of another namespace is <service>.<namespace>.svc`,
  });
}
