import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  KeyError,
  RuntimeError,
  TimeoutError,
  WebSocketDisconnect,
  errorKindOf,
  isModelledError,
} from './errors.ts';

// A second instance of the same module, as a design importing the sources gets it when the
// compiled command runs it (or a second installed version): its classes are other objects.
const copyOf = './errors.ts?another-copy';
const copy = (await import(/* @vite-ignore */ copyOf)) as typeof import('./errors.ts');

describe('modelled errors across copies of their module', () => {
  it('the copy is another module instance', () => {
    expect(copy.TimeoutError).not.toBe(TimeoutError);
  });

  it('instanceof matches the same class of either copy, in both directions', () => {
    const pairs = [
      [TimeoutError, copy.TimeoutError, () => new TimeoutError(), () => new copy.TimeoutError()],
      [CancelledError, copy.CancelledError, () => new CancelledError(), () => new copy.CancelledError()],
      [RuntimeError, copy.RuntimeError, () => new RuntimeError('x'), () => new copy.RuntimeError('x')],
      [KeyError, copy.KeyError, () => new KeyError('text'), () => new copy.KeyError('text')],
      [
        WebSocketDisconnect,
        copy.WebSocketDisconnect,
        () => new WebSocketDisconnect(1006),
        () => new copy.WebSocketDisconnect(1006),
      ],
    ] as const;
    for (const [mine, theirs, makeMine, makeTheirs] of pairs) {
      expect(makeTheirs()).toBeInstanceOf(mine);
      expect(makeMine()).toBeInstanceOf(theirs);
    }
  });

  it('a kind never matches another kind, nor a plain Error', () => {
    expect(new copy.TimeoutError() instanceof CancelledError).toBe(false);
    expect(new copy.RuntimeError('x') instanceof WebSocketDisconnect).toBe(false);
    expect(new Error('x') instanceof TimeoutError).toBe(false);
    expect((null as unknown) instanceof TimeoutError).toBe(false);
    // The kind lives on the prototype: a spread copy of an error is a plain object.
    expect({ ...new copy.TimeoutError() } instanceof TimeoutError).toBe(false);
  });

  it("a design's subclass keeps its base's kind, and its own instanceof stays its own", () => {
    class Gone extends copy.WebSocketDisconnect {}
    expect(new Gone(1001)).toBeInstanceOf(WebSocketDisconnect);
    expect(new WebSocketDisconnect(1001) instanceof Gone).toBe(false);
    expect(new copy.WebSocketDisconnect(1001) instanceof Gone).toBe(false);
  });

  it("the harness classifies a copy's errors as its own", () => {
    expect(isModelledError(new copy.CancelledError())).toBe(true);
    expect(errorKindOf(new copy.TimeoutError())).toBe('TimeoutError');
    expect(errorKindOf(new copy.WebSocketDisconnect(1006))).toBe('WebSocketDisconnect');
    expect(isModelledError(new TypeError('x'))).toBe(false);
  });
});
