/**
 * The fault table (SPEC section 8): every fault the simulation injects, by the label it reads
 * the chooser with, the knob that sets its rate, and the PRNG stream it draws from
 * (src/sim/faults.ts has the predicates; the chooser reads the stream from here).
 */
import type { FaultKnobs } from './types.ts';

/** The knobs that are a rate per million. */
type RateKnob = {
  [K in keyof FaultKnobs]-?: K extends `${string}PerMillion` ? K : never;
}[keyof FaultKnobs];

/** One fault: the knob giving its rate per million, what firing means, and its PRNG stream. */
export interface FaultRow {
  readonly knob: RateKnob;
  readonly means: string;
  /**
   * The chooser's sub-stream its draws come from (default `faults`). The slow reader has its
   * own, so a profile that turns it on leaves every other draw as it was.
   */
  readonly stream?: 'reader';
}

/**
 * Every fault, by the label it reads the chooser with, in census order.
 *
 * @example faultTable.authFail.knob // 'authFailurePerMillion'
 */
export const faultTable = {
  authFail: { knob: 'authFailurePerMillion', means: 'an authentication fails' },
  sendFail: { knob: 'sendFailurePerMillion', means: 'a write finds the connection broken' },
  peerClose: { knob: 'peerClosePerMillion', means: 'the browser closes after reading a frame' },
  abrupt: { knob: 'abruptDisconnectPerMillion', means: 'the browser vanishes after reading a frame' },
  readStall: {
    knob: 'readStallPerMillion',
    means: "the browser's reader stalls before a frame",
    stream: 'reader',
  },
} as const satisfies Readonly<Record<string, FaultRow>>;

/** A fault's label: the key of its row. */
export type FaultLabel = keyof typeof faultTable;

/** Every fault label, in the table's order. */
export const faultLabels = Object.keys(faultTable) as readonly FaultLabel[];

/** The chooser's sub-stream of a fault label, or undefined for a label that is no fault. */
export function faultStream(label: string): 'faults' | 'reader' | undefined {
  if (!Object.hasOwn(faultTable, label)) return undefined;
  const row: FaultRow = faultTable[label as FaultLabel];
  return row.stream ?? 'faults';
}
