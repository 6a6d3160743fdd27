/**
 * How a socket message appears in the trace's `frame` field (docs/trace.md).
 */
import { assertNever } from '../core/assertNever.ts';
import type { JsonValue } from '../core/types.ts';
import type { AsgiMessage } from './types.ts';

const utf8 = new TextDecoder('utf-8');

/** Text decoded as JSON when it is JSON, else the text itself: pure. */
export function decodeText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * The trace `frame` of a message: a data frame's decoded JSON (else its text), a close
 * frame's `{code, reason}`, undefined for other messages. Pure.
 *
 * @example
 * frameOf({ type: 'websocket.send', text: '{"a":1}' }); // { a: 1 }
 */
export function frameOf(message: AsgiMessage): JsonValue | undefined {
  switch (message.type) {
    case 'websocket.send':
    case 'websocket.receive':
      if (message.text !== undefined) return decodeText(message.text);
      if (message.bytes !== undefined) return decodeText(utf8.decode(Uint8Array.from(message.bytes)));
      return null;
    case 'websocket.close':
    case 'websocket.disconnect':
      return { code: message.code, reason: message.reason ?? '' };
    case 'websocket.connect':
    case 'websocket.accept':
    case 'websocket.http.response.start':
    case 'websocket.http.response.body':
      return undefined;
    default:
      return assertNever(message);
  }
}
