// Step 6: the largest request this exporter may send gets through. An export padded to the size of
// the largest batch (zero spans: nothing is stored) is sent; a 413 from the ingress or a size refusal
// from the gateway is named with the limit to raise.
import { GrpcStatus } from '../errors/grpc-status.ts';
import { formatBytes } from '../util/format-bytes.ts';
import { answeredBy, describeAnswer } from './answer.ts';
import { sendExport } from './export-probe.ts';
import { paddedExport } from './probe-body.ts';
import { fail, pass, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** Sends the padded export and judges the answer. */
export async function checkSize(target: DoctorTarget, address: string, timeoutMs: number): Promise<StepResult> {
  const size = formatBytes(target.probeBytes);
  const answer = await sendExport(target, address, paddedExport(target.probeBytes), timeoutMs);
  if (!answer.ok) {
    return fail('size', {
      finding: 'size-no-answer',
      detail: `a ${size} export got no answer: ${answer.message}`,
      cause:
        'the server (or a proxy) dropped the connection while the large request was sent: often a body limit enforced by closing',
      fix: `raise the body limit on the way to at least ${size} (ingress: proxy-body-size), or lower send_batch_max_size`,
    });
  }
  const code = answer.grpcStatus ?? (answer.httpStatus >= 200 && answer.httpStatus <= 299 ? GrpcStatus.OK : -1);
  if (code === GrpcStatus.OK) return pass('size', `a ${size} export (${target.probeReason}) was accepted`);
  const proxy = answer.grpcStatus === undefined && answer.httpStatus === 413 ? answeredBy(answer) : '';
  if (answer.grpcStatus === undefined && answer.httpStatus === 413 && (proxy !== '' || target.protocol === 'grpc')) {
    return fail('size', {
      finding: 'too-large-proxy',
      detail: `413 from the proxy${proxy === '' ? '' : ` (${proxy})`}: it refuses a ${size} export (${target.probeReason})`,
      cause:
        "the ingress's body limit is smaller than this exporter's largest batch (ingress-nginx allows 1 MiB by default)",
      fix: `raise \`proxy-body-size\` to at least the batch size, ${size} (annotation nginx.ingress.kubernetes.io/proxy-body-size; plain nginx: client_max_body_size), or lower send_batch_max_size`,
    });
  }
  if (code === GrpcStatus.RESOURCE_EXHAUSTED || answer.httpStatus === 413) {
    return fail('size', {
      finding: 'too-large-gateway',
      detail: `the gateway refuses a ${size} export (${target.probeReason}): ${describeAnswer(answer)}`,
      cause: "the gateway receiver's message limit is smaller than this exporter's largest batch",
      fix: `raise max_recv_msg_size_mib (gRPC) or max_request_body_size (HTTP) of the gateway's otlp receiver to at least ${size}, or lower send_batch_max_size`,
    });
  }
  return fail('size', {
    finding: 'size-refused',
    detail: `a ${size} export was refused: ${describeAnswer(answer)}`,
    cause: 'the server refused a large request though it accepted an empty one',
    fix: `check the body limits between here and the gateway (at least ${size}), or lower send_batch_max_size`,
  });
}
