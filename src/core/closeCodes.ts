/**
 * Close-frame validation (RFC 6455 section 7.4, SPEC section 3).
 */

/** Longest close reason RFC 6455 allows: a control frame payload is 125 bytes, 2 hold the code. */
export const maxCloseReasonBytes = 123;

/**
 * Whether an endpoint may send `code` in a close frame. Pure.
 *
 * Allowed: 1000-1003, 1007-1014 and 3000-4999. Never 1004 (reserved), 1005, 1006 and 1015
 * (reserved for reporting, never sent on the wire).
 *
 * @returns true when `code` is an integer in an allowed range.
 * @example isValidCloseCode(1000) // true; isValidCloseCode(1006) // false
 */
export function isValidCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

/**
 * UTF-8 length of a string in bytes, without allocating an encoder. Pure.
 * Lone surrogates count as U+FFFD (3 bytes), as a UTF-8 encoder would write them.
 *
 * @example utf8ByteLength('é') // 2
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether `reason` fits in a close frame: at most 123 bytes of UTF-8. Pure.
 *
 * @example isValidCloseReason('bye') // true; isValidCloseReason('é'.repeat(62)) // false (124 bytes)
 */
export function isValidCloseReason(reason: string): boolean {
  return typeof reason === 'string' && utf8ByteLength(reason) <= maxCloseReasonBytes;
}
