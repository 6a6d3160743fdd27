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
 * Swarm mode: draws every knob from the chooser (mutates it), within the hostile profile's
 * ranges, each knob switched off about half the time so runs explore few-fault corners too.
 *
 * @example
 * const knobs = swarmKnobs(Chooser.fromSeed(7));
 */
export function swarmKnobs(chooser: Chooser): FaultKnobs {
  const draw = (label: string, max: number): number =>
    chooser.choose(`swarm:${label}:on`, 1) === 1 ? chooser.choose(`swarm:${label}`, max) : 0;
  const latencyMsMin = draw('latencyMsMin', 100);
  return {
    latencyMsMin,
    latencyMsMax: latencyMsMin + draw('latencyMsSpread', 300),
    handshakeDelayMsMax: draw('handshakeDelayMsMax', 500),
    authDelayMsMax: draw('authDelayMsMax', 500),
    prepareDelayMsMax: draw('prepareDelayMsMax', 200),
    peerClosePerMillion: draw('peerClosePerMillion', 100_000),
    abruptDisconnectPerMillion: draw('abruptDisconnectPerMillion', 50_000),
    sendFailurePerMillion: draw('sendFailurePerMillion', 50_000),
    authFailurePerMillion: draw('authFailurePerMillion', 100_000),
    clockSkewMs: draw('clockSkewMs', 100),
    pongDelayMsMax: draw('pongDelayMsMax', 600),
    readStallPerMillion: draw('readStallPerMillion', 100_000),
    readStallMsMax: draw('readStallMsMax', 2000),
    writeBufferFrames: draw('writeBufferFrames', 16),
  };
}
