/**
 * A model's text (its output, streamed tokens, logs and error) is printed as text, never as terminal
 * commands: escape sequences could recolor, move the cursor, rewrite what was printed, set the window title
 * or worse. Control characters (C0, DEL and C1) are shown as `\xNN`; newline and tab stay; a carriage
 * return stays only before a newline (a lone one, which would overwrite the line, becomes a newline).
 */
const CONTROL = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/g;

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\r' ? '\n' : hex(c)));
}

/**
 * The same for text that arrives in pieces (streamed tokens, logs): a carriage return at the end of a piece
 * waits for the next one to know whether a newline follows it. `end()` gives what is held back.
 */
export function visibleStream(): { write(piece: string): string; end(): string } {
  let held = '';
  return {
    write(piece) {
      const text = held + piece;
      held = text.endsWith('\r') ? '\r' : '';
      return visible(held ? text.slice(0, -1) : text);
    },
    end() {
      const rest = held ? '\n' : '';
      held = '';
      return rest;
    },
  };
}

/**
 * JSON text with C1 control characters escaped too (JSON.stringify leaves U+0080 to U+009F raw, and some
 * terminals read U+009B as the start of an escape sequence). Still valid JSON for the same value.
 */
export function safeJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
