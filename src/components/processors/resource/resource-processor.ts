// Hot path: see bench/micro/resource-edit.bench.ts.
// The `resource` processor: applies attribute actions to the Resource of every entry of a request,
// rewriting only the Resource bytes (pdata/resource-edit.ts). A request no action changes is passed
// on as the very same buffer.
import type { Component, Logger } from '../../../contracts/component.ts';
import type { ConsumeResult, Consumer } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { editPayloadResources } from '../../../pdata/resource-edit.ts';
import { applyActions } from '../../attraction/apply.ts';
import type { CompiledAction } from '../../attraction/compile.ts';
import { errorMessage } from '../../../errors/thrown.ts';

/** The resource processor of one pipeline. */
export class ResourceProcessor implements Component, Consumer {
  private readonly actions: readonly CompiledAction[];
  private readonly next: Consumer;
  private readonly logger: Logger;

  constructor(actions: readonly CompiledAction[], next: Consumer, logger: Logger) {
    this.actions = actions;
    this.next = next;
    this.logger = logger;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    let edited: Payload;
    try {
      edited = editPayloadResources(payload, (attrs) =>
        applyActions(this.actions, attrs, payload.context, this.logger),
      );
    } catch (err) {
      // Receivers validate requests, so this is a bug upstream or corrupted data: refuse it for good.
      const error = new TelegateError('TG_OTLP_MALFORMED', `resource processor: ${errorMessage(err)}`, { cause: err });
      return Promise.resolve({ status: 'failure', error });
    }
    return this.next.consume(edited);
  }
}
