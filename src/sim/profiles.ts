/**
 * Named fault profiles (SPEC section 8) and swarm mode, which draws every knob per seed.
 */
import type { Chooser } from './chooser.ts';
import type { FaultKnobs, ProfileName } from './types.ts';

/**
 * No latency, no delay, no fault: the baseline every knob defaults to.
 *
 * @example
 * const knobs: FaultKnobs = { ...zeroKnobs, latencyMsMax: 5 };
 */
export const zeroKnobs: FaultKnobs = {
  latencyMsMin: 0,
  latencyMsMax: 0,
  handshakeDelayMsMax: 0,
  authDelayMsMax: 0,
  prepareDelayMsMax: 0,
  peerClosePerMillion: 0,
  abruptDisconnectPerMillion: 0,
  sendFailurePerMillion: 0,
  authFailurePerMillion: 0,
  clockSkewMs: 0,
  pongDelayMsMax: 0,
  readStallPerMillion: 0,
  readStallMsMax: 0,
  writeBufferFrames: 0,
};

/**
 * The bundled profiles. `cloud-run` follows seed 000 ("Cloud Run latency simulation: 300ms+
 * network delays"): up to 150 ms each way plus handshake and auth delays of up to 300 ms.
 *
 * @example
 * runScenario(design, { ...scenario, knobs: profiles['cloud-run'] });
 */
export const profiles: Readonly<Record<ProfileName, FaultKnobs>> = {
  ideal: zeroKnobs,
  lan: {
    ...zeroKnobs,
    latencyMsMin: 1,
    latencyMsMax: 5,
    handshakeDelayMsMax: 10,
    authDelayMsMax: 20,
    prepareDelayMsMax: 10,
  },
  'cloud-run': {
    latencyMsMin: 30,
    latencyMsMax: 150,
    handshakeDelayMsMax: 300,
    authDelayMsMax: 300,
    prepareDelayMsMax: 100,
    peerClosePerMillion: 20_000,
    abruptDisconnectPerMillion: 5_000,
    sendFailurePerMillion: 2_000,
    authFailurePerMillion: 10_000,
    clockSkewMs: 0,
    pongDelayMsMax: 400,
    readStallPerMillion: 0,
    readStallMsMax: 0,
    writeBufferFrames: 0,
  },
  hostile: {
    latencyMsMin: 0,
    latencyMsMax: 400,
    handshakeDelayMsMax: 500,
    authDelayMsMax: 500,
    prepareDelayMsMax: 200,
    peerClosePerMillion: 100_000,
    abruptDisconnectPerMillion: 50_000,
    sendFailurePerMillion: 50_000,
    authFailurePerMillion: 100_000,
    clockSkewMs: 50,
    pongDelayMsMax: 600,
    // A slow reader: 1 frame in 20 finds the browser's reader stalling for up to 1.5 s, and
    // the transport's buffer holds 4 frames before sends wait for it.
    readStallPerMillion: 50_000,
    readStallMsMax: 1500,
    writeBufferFrames: 4,
  },
};

/**
 * How long after the last workload command faults keep firing: long enough for a
 * connection opened by the last command to go through handshake, auth and preparation at
 * the knobs' worst delays, with a few round trips, so every phase of a run meets faults.
 * Pure.
 *
 * @example
 * faultWindowMs(profiles.hostile); // 2800
 */
export function faultWindowMs(knobs: FaultKnobs): number {
  return knobs.handshakeDelayMsMax + knobs.authDelayMsMax + knobs.prepareDelayMsMax + 4 * knobs.latencyMsMax;
}

/** Every profile name, in a stable order. */
export const profileNames: readonly ProfileName[] = ['ideal', 'lan', 'cloud-run', 'hostile'];

/**
 * Swarm mode's bounds, the one table both swarm draws read (`scenarioArb`'s swarm profile and
 * `swarmKnobs`): each knob is drawn in 0..bound, in this order; `latencyMsMax` is
 * `latencyMsMin` plus a spread in 0..`latencySpreadMs`. Within the hostile profile's ranges.
 */
export const swarmBounds = {
  latencyMsMin: 50,
  latencySpreadMs: 350,
  handshakeDelayMsMax: 500,
  authDelayMsMax: 500,
  prepareDelayMsMax: 200,
  peerClosePerMillion: 100_000,
  abruptDisconnectPerMillion: 50_000,
  sendFailurePerMillion: 50_000,
  authFailurePerMillion: 100_000,
  clockSkewMs: 50,
  pongDelayMsMax: 600,
  readStallPerMillion: 100_000,
  readStallMsMax: 2000,
  writeBufferFrames: 16,
} as const satisfies Readonly<Record<Exclude<keyof FaultKnobs, 'latencyMsMax'> | 'latencySpreadMs', number>>;

/** A swarm draw: `swarmBounds`' values as knobs (`latencyMsMax` from min and spread). Pure. */
export function swarmDraw(drawn: Readonly<Record<keyof typeof swarmBounds, number>>): FaultKnobs {
  const { latencySpreadMs, ...rest } = drawn;
  return { ...rest, latencyMsMax: rest.latencyMsMin + latencySpreadMs };
}

/**
 * Swarm mode: draws every knob from the chooser (mutates it), within `swarmBounds`, each
 * knob switched off about half the time so runs explore few-fault corners too.
 *
 * @example
 * const knobs = swarmKnobs(Chooser.fromSeed(7));
 */
export function swarmKnobs(chooser: Chooser): FaultKnobs {
  const drawn = {} as Record<keyof typeof swarmBounds, number>;
  for (const [label, max] of Object.entries(swarmBounds) as [keyof typeof swarmBounds, number][])
    drawn[label] = chooser.choose(`swarm:${label}:on`, 1) === 1 ? chooser.choose(`swarm:${label}`, max) : 0;
  return swarmDraw(drawn);
}
