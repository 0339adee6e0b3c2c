import { EventEmitter } from 'node:events';
import type { CogdeskEvents, EventName } from '../../shared/api';

/** The core's events, typed by the contract. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  on<E extends EventName>(event: E, listener: (payload: CogdeskEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit<E extends EventName>(event: E, payload: CogdeskEvents[E]): void {
    this.emitter.emit(event, payload);
  }
}
