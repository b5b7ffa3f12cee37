// Hot path: see bench/load (every OTLP request, either transport).
// The receiver's data path after the transport has the request bytes: validate and count items,
// hand the payload to the signal's consumer, count the outcome, and say what the client gets.
import type { Logger } from '../../../contracts/component.ts';
import type { ConsumeResult, Consumer } from '../../../contracts/consumer.ts';
import type { DeflatePiece, Payload, RequestContext } from '../../../contracts/payload.ts';
import type { Room } from '../../../contracts/room.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError, type ErrorCode } from '../../../errors/catalogue.ts';
import type { ItemCounters, RequestCounters, Transport } from './counters.ts';
import { validateRequest } from './responses.ts';
import { SIGNAL_INFO } from './signals.ts';
import { statusOfError, statusOfRefusal, type ErrorStatus } from './status.ts';
import { errorMessage, toError } from '../../../errors/thrown.ts';

/** What the client is told: OK (maybe with partial success) or an error status. */
export type ExportResult =
  { readonly ok: true; readonly partial?: PartialSuccess | undefined } | ({ readonly ok: false } & ErrorStatus);

/** Items the pipeline rejected while accepting the rest (OTLP partial_success). */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

const OK: ExportResult = Object.freeze({ ok: true });

/** A refusal for lack of room (a full batch processor or sending queue), as opposed to any other. */
function isBusy(result: ConsumeResult): boolean {
  return (
    result.status === 'retryable' && result.error instanceof TelegateError && result.error.code === 'TG_PIPELINE_BUSY'
  );
}

/** One signal's consumer on one transport, with its counters. */
export class SignalExport {
  readonly signal: Signal;
  private readonly consumer: Consumer;
  private readonly items: ItemCounters;
  private readonly requests: RequestCounters;
  private readonly logger: Logger;
  private readonly transport: Transport;

  constructor(
    signal: Signal,
    consumer: Consumer,
    items: ItemCounters,
    requests: RequestCounters,
    logger: Logger,
    transport: Transport,
  ) {
    this.signal = signal;
    this.consumer = consumer;
    this.items = items;
    this.requests = requests;
    this.logger = logger;
    this.transport = transport;
  }

  /** The room of the signal's pipeline (DESIGN.md §4b); undefined when nothing in it can fill up. */
  get room(): Room | undefined {
    return this.consumer.room;
  }

  /**
   * Validates `bytes` (an Export*ServiceRequest) and passes it on. Never throws. `waitAgain`, when given, is
   * asked after a refusal for lack of room (TG_PIPELINE_BUSY): true means room came back, so the data is
   * handed over again instead of being refused (see backpressure.ts). `deflatePiece`: the gzip body's deflate
   * data as a piece that inflates to `bytes` (Payload.deflatePieces).
   */
  async export(
    bytes: Buffer,
    context: RequestContext,
    waitAgain?: () => Promise<boolean>,
    deflatePiece?: DeflatePiece,
  ): Promise<ExportResult> {
    let items: number;
    try {
      items = validateRequest(this.signal, bytes);
    } catch (err) {
      return this.invalid(`malformed ${SIGNAL_INFO[this.signal].request}: ${errorMessage(err)}`, context);
    }
    // Go's receiver answers an empty request without calling the pipeline.
    if (items === 0) {
      this.requests.success.add(1);
      return OK;
    }
    const payload: Payload =
      deflatePiece === undefined
        ? { signal: this.signal, bytes, items, context }
        : { signal: this.signal, bytes, items, context, deflatePieces: [deflatePiece] };
    let result = await this.consume(payload);
    while (waitAgain !== undefined && isBusy(result) && (await waitAgain())) result = await this.consume(payload);
    return this.outcome(result, items);
  }

  private async consume(payload: Payload): Promise<ConsumeResult> {
    try {
      return await this.consumer.consume(payload);
    } catch (err) {
      return { status: 'failure', error: toError(err) };
    }
  }

  /** Counts and answers a request refused for bad input (malformed unless `error` says otherwise; logged at debug). */
  invalid(reason: string, context: RequestContext, error: ErrorCode = 'TG_OTLP_MALFORMED'): ExportResult {
    this.requests.invalid.add(1);
    if (this.logger.isDebugEnabled()) {
      this.logger.debug('Refused an invalid OTLP request', {
        transport: this.transport,
        signal: this.signal,
        reason,
        client: context.clientAddress,
      });
    }
    return { ok: false, ...statusOfError(error, reason) };
  }

  private outcome(result: ConsumeResult, items: number): ExportResult {
    if (result.status === 'success') {
      const rejected = Math.min(items, Math.max(0, result.rejectedItems ?? 0));
      this.items.accepted.add(items - rejected);
      this.requests.success.add(1);
      if (rejected === 0) return OK;
      this.items.refused.add(rejected);
      return { ok: true, partial: { rejected, message: result.message ?? '' } };
    }
    this.items.refused.add(items);
    this.requests.refused.add(1);
    return { ok: false, ...statusOfRefusal(result) };
  }
}
