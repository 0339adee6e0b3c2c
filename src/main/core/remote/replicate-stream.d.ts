/** The official client's reader of a prediction's server-sent events (replicate 1.4.0, lib/stream.js: not in its typings). */
declare module 'replicate/lib/stream.js' {
  export interface ServerSentEvent {
    event: string;
    data: string;
    id: string;
  }
  /** Reads the stream without the token (as the client's `stream()` does); an `error` event errors it, `done` ends it. */
  export function createReadableStream(config: {
    url: string;
    fetch: typeof fetch;
    options?: { useFileOutput?: boolean; headers?: Record<string, string>; signal?: AbortSignal };
  }): ReadableStream<ServerSentEvent> & AsyncIterable<ServerSentEvent>;
}
