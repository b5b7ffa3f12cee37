// Hot path: see bench/micro/attributes-edit.bench.ts.
// The `attributes` processor: applies attribute actions to the spans, log records or metric data
// points that include/exclude select, rewriting only their attributes on the wire
// (pdata/item-edit.ts). A request no action changes is passed on as the very same buffer.
import type { Component, Logger } from '../../../contracts/component.ts';
import type { ConsumeResult, Consumer } from '../../../contracts/consumer.ts';
import type { Payload, RequestContext } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import type { KeyValue } from '../../../pdata/attributes.ts';
import { editItemAttributes, type ItemAttributesEditor, type ItemView } from '../../../pdata/item-edit.ts';
import { applyActions } from '../../attraction/apply.ts';
import type { CompiledAction } from '../../attraction/compile.ts';
import type { ItemMatcher } from './item-match.ts';

/** The attributes processor of one pipeline. */
export class AttributesProcessor implements Component, Consumer, ItemAttributesEditor {
  private readonly actions: readonly CompiledAction[];
  private readonly matcher: ItemMatcher;
  private readonly next: Consumer;
  private readonly logger: Logger;
  /** The context of the request being edited (editing is synchronous, so one field suffices). */
  private ctx: RequestContext = {};

  constructor(actions: readonly CompiledAction[], matcher: ItemMatcher, next: Consumer, logger: Logger) {
    this.actions = actions;
    this.matcher = matcher;
    this.next = next;
    this.logger = logger;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  selects(view: ItemView): boolean {
    return this.matcher.selects(view);
  }

  edit(attrs: KeyValue[]): boolean {
    return applyActions(this.actions, attrs, this.ctx, this.logger);
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    let bytes: Buffer;
    this.ctx = payload.context;
    try {
      bytes = editItemAttributes(payload.bytes, payload.signal, this);
    } catch (err) {
      // Receivers validate requests, so this is a bug upstream or corrupted data: refuse it for good.
      const error = new TelegateError('TG_OTLP_MALFORMED', `attributes processor: ${errorMessage(err)}`, {
        cause: err,
      });
      return Promise.resolve({ status: 'failure', error });
    } finally {
      this.ctx = {};
    }
    if (bytes === payload.bytes) return this.next.consume(payload);
    return this.next.consume({ signal: payload.signal, bytes, items: payload.items, context: payload.context });
  }
}
