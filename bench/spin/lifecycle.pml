/*
 * The reference lifecycle (src/core/step.ts) as an abstract Promela model, with the bounds
 * `ws-lifecycle explore` uses: K connections, at most MAXE emits each (a critical or a
 * non-critical type), a buffer of CAP, one send in flight, heartbeat and batching off.
 * Each connection is one process whose variables are all local, so SPIN's partial-order
 * reduction may treat the connections as independent, as the explorer does.
 *
 * The environment is the reducer driver's contract, as in src/check/exhaustive/localModel.ts:
 * acceptCompleted only after accept, a send answered only while in flight, a timer fires
 * only while set; the workload may emit and close at any time. Events are kept as the
 * explorer keys them: by criticality and order in the buffer, not by a counter. Asserts: no
 * critical event dropped (P6), buffer bounded (P9); the buffer is FIFO by construction (P8).
 *
 *   spin -a lifecycle.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m100000 -w24
 */
#ifndef K
#define K 2
#endif
#ifndef MAXE
#define MAXE 6
#endif
#ifndef CAP
#define CAP 3
#endif

#define CONNECTING 0
#define ACCEPTING 1
#define AUTHENTICATING 2
#define PREPARING 3
#define READY 4
#define CLOSING 5
#define CLOSED 6


/* Send the oldest buffered event when nothing is in flight (ready only). */
#define sendOldest() \
  if \
  :: phase == READY && inflight == 0 && nbuf > 0 -> \
     inflight = 1; seq++; \
     j = 0; do :: j < nbuf - 1 -> buf[j] = buf[j + 1]; j++ :: else -> break od; \
     nbuf--; buf[nbuf] = 0 \
  :: else -> skip \
  fi

/* Offer event `ev` (1 non-critical, 2 critical) to the buffer: append, evict the oldest non-critical, or refuse. */
#define offer() \
  if \
  :: nbuf < CAP -> buf[nbuf] = ev; nbuf++ \
  :: else -> \
     j = 0; do :: j < nbuf && buf[j] == 2 -> j++ :: else -> break od; \
     if \
     :: j == nbuf -> skip \
     :: else -> assert(buf[j] == 1); \
        do :: j < nbuf - 1 -> buf[j] = buf[j + 1]; j++ :: else -> break od; \
        buf[nbuf - 1] = ev \
     fi \
  fi; \
  assert(nbuf <= CAP)

/* Settle everything buffered (and, leaving for closed, in flight) as undeliverable. */
#define settleBuffer() \
  j = 0; do :: j < nbuf -> buf[j] = 0; j++ :: else -> break od; nbuf = 0

#define toClosed() \
  settleBuffer(); \
  inflight = 0; \
  tHandshake = 0; tAuth = 0; tPrepare = 0; tClose = 0; phase = CLOSED

#define toClosing() \
  settleBuffer(); tHandshake = 0; tAuth = 0; tPrepare = 0; tClose = 1; closePending = 1; phase = CLOSING

#define emitOne(critical) \
  ev = critical + 1; emits++; \
  if \
  :: phase == CLOSING || phase == CLOSED -> skip \
  :: phase == READY && inflight == 0 && nbuf == 0 -> \
     inflight = 1; seq++ \
  :: else -> offer() \
  fi

proctype Connection() {
  byte phase = CONNECTING;
  byte buf[CAP];      /* buffered events, oldest first: 1 non-critical, 2 critical, 0 empty */
  byte nbuf = 0;
  bit inflight = 0;   /* one send in flight */
  byte seq = 1;
  byte emits = 0;
  bit started = 0;
  bit accepted = 0;
  bit acceptPending = 0;
  bit authPending = 0;
  bit preparePending = 0;
  bit closePending = 0;
  bit tHandshake = 0;
  bit tAuth = 0;
  bit tPrepare = 0;
  bit tClose = 0;
  /* Scratch, reset to 0 at the end of every step so it never tells states apart. */
  byte ev = 0;
  byte j = 0;
end:
  do
  :: atomic { !started -> started = 1; acceptPending = 1; tHandshake = 1; phase = ACCEPTING; j = 0; ev = 0 }
  :: atomic { acceptPending && phase != CLOSED -> acceptPending = 0; accepted = 1;
       if :: phase == ACCEPTING -> tHandshake = 0; authPending = 1; tAuth = 1; phase = AUTHENTICATING
          :: else -> skip fi; j = 0; ev = 0 }
  :: atomic { authPending && phase != CLOSED -> authPending = 0;
       if :: phase == AUTHENTICATING -> tAuth = 0; preparePending = 1; tPrepare = 1; phase = PREPARING
          :: else -> skip fi; j = 0; ev = 0 }
  :: atomic { authPending && phase != CLOSED -> authPending = 0;
       if :: phase == AUTHENTICATING -> toClosing() :: else -> skip fi; j = 0; ev = 0 }
  :: atomic { preparePending && phase != CLOSED -> preparePending = 0;
       if :: phase == PREPARING -> tPrepare = 0; phase = READY; sendOldest() :: else -> skip fi; j = 0; ev = 0 }
  :: atomic { started && emits < MAXE -> emitOne(1); j = 0; ev = 0 }
  :: atomic { started && emits < MAXE -> emitOne(0); j = 0; ev = 0 }
  :: atomic { inflight > 0 && phase != CLOSED -> inflight = 0; sendOldest(); j = 0; ev = 0 }
  :: atomic { inflight > 0 && phase != CLOSED -> toClosed(); j = 0; ev = 0 }
  :: atomic { started && phase < CLOSING -> toClosing(); j = 0; ev = 0 }
  :: atomic { accepted && phase != CLOSED -> toClosed(); j = 0; ev = 0 }
  :: atomic { started && phase != CLOSED -> toClosed(); j = 0; ev = 0 }
  :: atomic { closePending && phase == CLOSING -> closePending = 0; toClosed(); j = 0; ev = 0 }
  :: atomic { tHandshake && phase == ACCEPTING -> tHandshake = 0; toClosing(); j = 0; ev = 0 }
  :: atomic { tAuth && phase == AUTHENTICATING -> tAuth = 0; toClosing(); j = 0; ev = 0 }
  :: atomic { tPrepare && phase == PREPARING -> tPrepare = 0; toClosing(); j = 0; ev = 0 }
  :: atomic { tClose && phase == CLOSING -> tClose = 0; toClosed(); j = 0; ev = 0 }
  od
}

init {
  atomic {
    byte n = 0;
    do :: n < K -> run Connection(); n++ :: else -> break od
  }
}
