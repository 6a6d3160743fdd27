/**
 * The fifteen properties of SPEC section 7, in order. Each is a fold over a recorded trace's
 * entries (src/properties/fold.ts; docs/trace.md, "What the properties read" and "How the
 * checkers read a trace").
 */
import type { PropertyDef } from './fold.ts';
import type { PropertyId } from './propertyTypes.ts';
import { designError } from './designError.ts';
import { p01NoSendBeforeAccept } from './p01NoSendBeforeAccept.ts';
import { p02NoSendAfterClose } from './p02NoSendAfterClose.ts';
import { p03NoReceiveAfterClose } from './p03NoReceiveAfterClose.ts';
import { p04ValidTransitions } from './p04ValidTransitions.ts';
import { p05NoDeliveryBeforeAuth } from './p05NoDeliveryBeforeAuth.ts';
import { p06CriticalRetained } from './p06CriticalRetained.ts';
import { p07Accounted } from './p07Accounted.ts';
import { p08OrderAndSeq } from './p08OrderAndSeq.ts';
import { p09BoundedBuffer } from './p09BoundedBuffer.ts';
import { p10EventuallySettled } from './p10EventuallySettled.ts';
import { p11ValidClose } from './p11ValidClose.ts';
import { p12Isolation } from './p12Isolation.ts';
import { p13NoTransportError } from './p13NoTransportError.ts';
import { p14Latency } from './p14Latency.ts';
import { p15Progress } from './p15Progress.ts';

/**
 * P1..P15 in order (`properties[k].id === 'P' + (k + 1)`), then DE, the design-error verdict.
 *
 * @example properties.map((p) => p.name) // ['no-send-before-accept', ..., 'latency']
 */
export const properties: readonly PropertyDef[] = [
  p01NoSendBeforeAccept,
  p02NoSendAfterClose,
  p03NoReceiveAfterClose,
  p04ValidTransitions,
  p05NoDeliveryBeforeAuth,
  p06CriticalRetained,
  p07Accounted,
  p08OrderAndSeq,
  p09BoundedBuffer,
  p10EventuallySettled,
  p11ValidClose,
  p12Isolation,
  p13NoTransportError,
  p14Latency,
  p15Progress,
  designError,
];

/** What a property needs to be exercised, e.g. `an emit` (its registry entry's precondition). Pure. */
export function preconditionOf(id: PropertyId): string {
  return properties.find((p) => p.id === id)?.precondition ?? 'its precondition';
}
