import { describe, expect, it } from 'vitest';
import { maxJsonDepth, tooDeepLine } from './jsonDepth.ts';

describe('tooDeepLine', () => {
  it('counts brackets and braces outside strings only', () => {
    expect(tooDeepLine('{"a":[[1]]}', 3)).toBeUndefined();
    expect(tooDeepLine('{"a":[[1]]}', 2)).toBe(1);
    expect(tooDeepLine('{"a":"[[[[[[[["}', 1)).toBeUndefined();
    expect(tooDeepLine('{"a":"\\"[[[[[[[["}', 1)).toBeUndefined();
    expect(tooDeepLine('{"a":"\\\\", "b":[[[1]]]}', 3)).toBe(1);
  });

  it('names the line on which the limit is crossed', () => {
    expect(tooDeepLine('{\n"a": [\n[\n[1]]]}', 3)).toBe(4);
  });

  it('refuses 20,000 levels at the default limit, and accepts the limit itself', () => {
    expect(tooDeepLine('['.repeat(20_000) + ']'.repeat(20_000))).toBe(1);
    expect(tooDeepLine('['.repeat(maxJsonDepth) + ']'.repeat(maxJsonDepth))).toBeUndefined();
    expect(tooDeepLine('['.repeat(maxJsonDepth + 1) + ']'.repeat(maxJsonDepth + 1))).toBe(1);
  });
});
