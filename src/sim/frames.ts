/**
 * How a socket message appears in the trace's `frame` field (docs/trace.md).
 */
import { assertNever } from '../core/assertNever.ts';
import type { JsonValue } from '../core/types.ts';
import type { AsgiMessage } from './types.ts';

const utf8 = new TextDecoder('utf-8');

/** First characters a JSON text can start with (after optional whitespace). */
const jsonStart = /^[\s]*[{["\-0-9tfn]/;

/** Text decoded as JSON when it is JSON, else the text itself: pure. */
export function decodeText(text: string): JsonValue {
  // Most non-JSON frames ('pong:3', 'hello') are told at their first character, without the
  // cost of a thrown SyntaxError.
  if (!jsonStart.test(text)) return text;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * Frames already decoded, by message. A message is traced where the app sends it, on the
 * wire and where the client reads it: one decode serves all three entries, which then share
 * the (never mutated) frame value.
 */
const decoded = new WeakMap<AsgiMessage, JsonValue | undefined>();

/**
 * The trace `frame` of a message: a data frame's decoded JSON (else its text), a close
 * frame's `{code, reason}`, undefined for other messages. Pure (messages are not mutated
 * once sent, so a frame is decoded once per message).
 *
 * @example
 * frameOf({ type: 'websocket.send', text: '{"a":1}' }); // { a: 1 }
 */
export function frameOf(message: AsgiMessage): JsonValue | undefined {
  if (decoded.has(message)) return decoded.get(message);
  const frame = decodeFrameOf(message);
  decoded.set(message, frame);
  return frame;
}

function decodeFrameOf(message: AsgiMessage): JsonValue | undefined {
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
