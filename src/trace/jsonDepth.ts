/**
 * How deeply a JSON text nests, found by one linear scan before it is parsed: a value nested
 * thousands of levels deep overflows the stack of the recursive code that walks it after
 * JSON.parse (schema validation, cloning), so readers refuse it first with the line it is on.
 */

/**
 * Deepest nesting a trace line or a corpus file may have. The formats need about 8 levels
 * (a corpus entry's scenario: entry, scenario, commands, command, detail...); 64 leaves room
 * for any honest recording's `detail` and stays far below a stack overflow.
 */
export const maxJsonDepth = 64;

/**
 * The 1-based line of `text` on which its brackets (`[` and `{`, outside strings) first nest
 * deeper than `max`, or undefined when they never do. Pure; one pass, no allocation per
 * character. Strings are skipped with their escapes, so `"[[["` does not count.
 *
 * @example
 * tooDeepLine('{"a":[[1]]}', 2); // 1
 * tooDeepLine('{"a":"[[[["}', 2); // undefined
 */
export function tooDeepLine(text: string, max: number = maxJsonDepth): number | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10) line++;
    if (inString) {
      if (c === 92)
        k++; // a backslash escapes the next character (a quote, a backslash)
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}
