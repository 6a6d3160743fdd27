// examples/first-handler.ts: the README's first attempt at a handler design ("Checking your own
// design"), importing only the package's entries. It looks careful; check finds what it
// gets wrong: npx ws-lifecycle check --design ./examples/first-handler.ts --runs 500
import type { HandlerDesign, ServerConnection } from 'ws-lifecycle/design';

export const design: HandlerDesign = {
  kind: 'handler',
  name: 'my-design',
  create({ services }) {
    const ready = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        await conn.socket.accept();
        if (!(await services.authenticate(conn))) return conn.socket.close(1008, 'auth failed');
        ready.set(conn.id, conn);
        try {
          for (;;) await conn.socket.receiveText();
        } catch {
          ready.delete(conn.id);
        }
      },
      async emit(connId, event) {
        const conn = ready.get(connId);
        if (conn === undefined) return false; // refused: not ready (reported, not lost)
        await conn.socket.sendJson({ type: event.type, payload: event.payload ?? null });
        return true;
      },
      async close(connId, code, reason) {
        const conn = ready.get(connId);
        ready.delete(connId);
        await conn?.socket.close(code, reason);
      },
    };
  },
};
