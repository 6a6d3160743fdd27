/**
 * Plays a drive scenario against a live server with real `ws` clients over real sockets, in
 * real time: the one part of drive that is not deterministic (the server's scheduling and
 * the kernel decide the interleaving; the scenario only decides what the clients do).
 */
import { WebSocket } from 'ws';
import type { DriveAction, DriveScenario } from './scenario.ts';

/** What the clients saw while a scenario played. */
export interface PlayedScenario {
  /** Connections that opened. */
  readonly opened: number;
  /** Opens that failed, with the first error's text (e.g. `connect ECONNREFUSED 127.0.0.1:8000`). */
  readonly refused: number;
  readonly firstError: string | null;
  /** Text messages sent. */
  readonly sent: number;
  readonly elapsedMs: number;
}

/** How long an open may take before the connection counts as refused. */
const openTimeoutMs = 2000;
/** How long a final normal close may wait for the server's answer before the socket is dropped. */
const closeTimeoutMs = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The URL of connection `conn`: `{conn}` and `{user}` of the template filled in. Pure.
 *
 * @example connectionUrl('ws://127.0.0.1:8000/ws/{conn}?user={user}', 2, 'u1'); // '.../ws/2?user=u1'
 */
export function connectionUrl(template: string, conn: number, user: string): string {
  return template.replaceAll('{conn}', String(conn)).replaceAll('{user}', encodeURIComponent(user));
}

function opened(url: string): Promise<WebSocket | Error> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: openTimeoutMs });
    ws.on('error', () => undefined);
    ws.once('open', () => resolve(ws));
    ws.once('error', (error) => resolve(error));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(new Error(`unexpected HTTP ${res.statusCode} on upgrade`));
    });
  });
}

/** Closes normally and waits for the server's close (or drops the socket after a timeout). */
function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, closeTimeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  });
}

/** Mutable state of one play. */
interface Play {
  readonly sockets: Map<number, WebSocket>;
  readonly background: Promise<void>[];
  opened: number;
  refused: number;
  firstError: string | null;
  sent: number;
}

async function burst(play: Play, ws: WebSocket, conn: number, count: number, gapMs: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(`drive ${conn}.${k}`);
    play.sent++;
    if (gapMs > 0 && k < count - 1) await sleep(gapMs);
  }
}

async function act(play: Play, scenario: DriveScenario, url: string, a: DriveAction): Promise<void> {
  const ws = play.sockets.get(a.conn);
  switch (a.type) {
    case 'open': {
      const result = await opened(connectionUrl(url, a.conn, scenario.users[a.conn - 1] ?? 'u'));
      if (result instanceof Error) {
        play.refused++;
        play.firstError ??= result.message;
      } else {
        play.opened++;
        play.sockets.set(a.conn, result);
      }
      return;
    }
    case 'burst':
      if (ws !== undefined) play.background.push(burst(play, ws, a.conn, a.count, a.gapMs));
      return;
    case 'close':
      if (ws?.readyState === WebSocket.OPEN) ws.close(a.code);
      return;
    case 'vanish':
      // terminate() destroys the socket at once: no close frame, as a dropped network.
      ws?.terminate();
      return;
    case 'pause':
      if (ws?.readyState !== WebSocket.OPEN) return;
      ws.pause();
      play.background.push(sleep(a.ms).then(() => ws.resume()));
      return;
    default: {
      const never: never = a;
      throw new Error(`unexpected drive action ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Plays `scenario` against `url` (a template, see `connectionUrl`): each action starts
 * `afterMs` after the previous one started (an open waits for the handshake; bursts and
 * pauses run on while later actions start), then every connection still open is closed
 * normally, one after the other. Real time and real sockets; resolves when every client is done.
 *
 * @example await executeScenario(driveScenario(1, 0), 'ws://127.0.0.1:8000/ws/{conn}');
 */
export async function executeScenario(scenario: DriveScenario, url: string): Promise<PlayedScenario> {
  const started = performance.now();
  const play: Play = { sockets: new Map(), background: [], opened: 0, refused: 0, firstError: null, sent: 0 };
  for (const a of scenario.actions) {
    if (a.afterMs > 0) await sleep(a.afterMs);
    await act(play, scenario, url, a);
  }
  await Promise.all(play.background);
  // One at a time: closing every client in the same instant would be an action of its own
  // (and the same race every run), not the end of the generated scenario.
  for (const ws of play.sockets.values()) await closed(ws);
  const { opened: o, refused, firstError, sent } = play;
  return { opened: o, refused, firstError, sent, elapsedMs: performance.now() - started };
}
