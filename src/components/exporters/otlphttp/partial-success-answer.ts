// Reads partial_success from a 2xx answer (OTLP spec "Partial Success"), in the encoding the server
// answered in: protobuf, or OTLP/JSON with the rejected count as a string or a number. Any other or
// unreadable body is a full success, as Go treats it: the data was accepted.
import type { Signal } from '../../../contracts/signal.ts';
import type { HttpAnswer } from '../../../transport/http-client.ts';
import { readPartialSuccess, type PartialSuccess } from '../../exporterhelper/partial-success.ts';

const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

const NONE: PartialSuccess = Object.freeze({ rejected: 0, message: '' });

/** The rejected items and message of a successful answer; zero and '' when it reports none. */
export function answerPartialSuccess(answer: HttpAnswer, signal: Signal): PartialSuccess {
  const type = answer.headers['content-type'] ?? '';
  if (answer.body.length === 0) return NONE;
  if (type.startsWith('application/x-protobuf')) return readPartialSuccess(signal, answer.body);
  if (type.startsWith('application/json')) return readJson(answer.body, signal);
  return NONE;
}

function readJson(body: Buffer, signal: Signal): PartialSuccess {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { partialSuccess?: unknown } | null;
    const ps = parsed?.partialSuccess as Record<string, unknown> | null | undefined;
    if (typeof ps !== 'object' || ps === null) return NONE;
    const rejected = Number(ps[REJECTED_FIELD[signal]] ?? 0);
    const message = ps['errorMessage'];
    return {
      rejected: Number.isSafeInteger(rejected) && rejected > 0 ? rejected : 0,
      message: typeof message === 'string' ? message : '',
    };
  } catch {
    return NONE;
  }
}
