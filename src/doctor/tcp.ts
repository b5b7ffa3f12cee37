// Step 2: a TCP connection to the endpoint's port opens.
import { connect } from 'node:net';
import { errorCode } from './error-code.ts';
import { fail, pass, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** The TCP step's result and the address that accepted the connection (used by the later steps). */
export interface TcpOutcome {
  readonly result: StepResult;
  readonly address: string | undefined;
}

/**
 * Connects to each address of the DNS step in turn, as a client falls back from one address family to
 * the other (`localhost` may resolve to ::1 first while the gateway listens on 127.0.0.1 only).
 */
export async function checkTcp(
  target: DoctorTarget,
  addresses: readonly string[],
  timeoutMs: number,
): Promise<TcpOutcome> {
  let first: StepResult | undefined;
  for (const address of addresses) {
    const result = await connectOnce(target, address, timeoutMs);
    if (result.outcome === 'pass') return { result, address };
    first ??= result;
  }
  return { result: first ?? tcpFailure(target, target.host, 'NOADDRESS', timeoutMs), address: undefined };
}

function connectOnce(target: DoctorTarget, address: string, timeoutMs: number): Promise<StepResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(tcpFailure(target, address, 'TIMEOUT', timeoutMs));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(pass('tcp', `${address} port ${target.port} accepts TCP connections`));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve(tcpFailure(target, address, errorCode(err), timeoutMs));
    });
  });
}

function tcpFailure(target: DoctorTarget, address: string, code: string, timeoutMs: number): StepResult {
  const where = `${address} port ${target.port}`;
  if (code === 'ECONNREFUSED') {
    return fail('tcp', {
      finding: 'refused',
      detail: `nothing listens on ${where} (connection refused)`,
      cause: 'the gateway (or the ingress in front of it) is not running there, or listens on another port',
      fix: `check the port in the endpoint of ${target.name} (OTLP: gRPC 4317, HTTP 4318; an ingress: 443) and that the gateway is up`,
    });
  }
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT') {
    return fail('tcp', {
      finding: 'timeout',
      detail: `no answer from ${where} within ${timeoutMs} ms`,
      cause: 'a firewall or network policy drops the packets, or the address is not the gateway',
      fix: 'check firewalls and NetworkPolicies between here and the gateway, and the address the name resolves to',
    });
  }
  return fail('tcp', {
    finding: 'unreachable',
    detail: `cannot connect to ${where} (${code || 'error'})`,
    cause: 'no route to that address from here',
    fix: 'check the address and the network between here and the gateway',
  });
}
