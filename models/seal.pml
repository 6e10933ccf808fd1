/*
 * seal.pml -- the seal handshake between writers and seal().
 *
 * Real code modelled: the write entry of src/_writer.ts (ListWriter.#write:
 * insert / put / delete) and seal() in src/_seal.ts:
 *   writer:  Atomics.add(STRIPE_INFLIGHT[stripe], 1);
 *            if (Atomics.load(STATE) !== 0) {
 *              Atomics.sub(STRIPE_INFLIGHT[stripe], 1); return Sealed }
 *            ...the write itself (the level-0 link CAS / version CAS)...
 *            Atomics.sub(STRIPE_INFLIGHT[stripe], 1); return ok
 *   seal():  if (Atomics.compareExchange(STATE, 0, 1) !== 0)
 *              return AlreadySealed;
 *            for each stripe s: wait until Atomics.load(STRIPE_INFLIGHT[s]) === 0
 *              (spin, then Atomics.wait where allowed);
 *            the memtable is now frozen: iterate it (plain loads allowed).
 * This is a Dekker-style handshake: the writer announces (STRIPE_INFLIGHT) then
 * checks (STATE); seal() sets (STATE) then checks (STRIPE_INFLIGHT).  Because
 * both sides use sequentially consistent Atomics, at least one side sees
 * the other, so a write either backs off or is waited for.
 *
 * Why interleaving semantics is exact: STATE and STRIPE_INFLIGHT[] are touched
 * only with Atomics (add, sub, load, compareExchange), which are SeqCst in
 * the ECMAScript memory model; the write itself is an Atomics CAS on a link
 * word.  The frozen view's plain loads after the wait are modelled as
 * ordinary reads of `written`, one per slot (not one atomic snapshot), so
 * any write still happening during the view is visible as a difference.
 *
 * Abstraction: each write op is one slot: written[slot] = 1 stands for the
 * publishing CAS.  Each writer does OPS ops in sequence.  The spin-wait is
 * a blocking guard (STRIPE_INFLIGHT[s] == 0), i.e. the load that finally saw 0.
 *
 * Configurations:
 *   default     2 writers, each on its own stripe; 2 concurrent sealers
 *   -DSHARED    3 writers: writers 0 and 1 share stripe 0, writer 2 has
 *               stripe 1 (a stripe word shared by several writers)
 *
 * Assertions (tags in comments are read by run.sh), checked once every
 * process is done:
 *   @one-sealer        exactly one of the concurrent seal() calls succeeds
 *   @ok-frozen         every write that returned ok (before or after seal()
 *                      returned) is in the frozen view
 *   @frozen-immutable  nothing changed after the frozen view was taken:
 *                      written == frozen for every slot
 *   @sealed-nowrite    a write that returned Sealed wrote nothing
 *
 * Known-bad variants (spin -D...), each must FAIL:
 *   CHECK_BEFORE_ANNOUNCE  the writer loads `STATE` before incrementing
 *                          STRIPE_INFLIGHT: seal() can see STRIPE_INFLIGHT == 0 while the
 *                          writer is about to write: caught by @ok-frozen.
 *   NO_WAIT                seal() does not wait for STRIPE_INFLIGHT writers:
 *                          caught by @ok-frozen.
 */

#ifdef SHARED
#define NW      3
#define STRIPE(w) ((w) < 2 -> 0 : 1)
#else
#define NW      2
#define STRIPE(w) (w)
#endif
#define NS      2        /* stripes */
#define OPS     2        /* write ops per writer */
#define NSLOT   (NW * OPS)
#define NSEAL   2        /* concurrent seal() calls */

#define NONE    0        /* ret[] values */
#define OK      1
#define SEALED  2

bit  STATE = 0;         /* Atomics */
byte STRIPE_INFLIGHT[NS];       /* Atomics, one word per stripe */
bit  written[NSLOT];     /* the write's publishing CAS happened */

/* ghost state, used only by assertions */
byte ret[NSLOT];         /* what each write op returned */
bit  frozen[NSLOT];      /* the frozen view taken by the winning sealer */
bit  sealOk[NSEAL];      /* seal() returned success */
bit  sealReturned = 0;
byte fin = 0;            /* processes that have finished */

/* One write op in slot `slot`, announced on stripe s. */
inline writeOp(slot, s) {
#ifdef CHECK_BEFORE_ANNOUNCE
  if
  :: STATE != 0 -> ret[slot] = SEALED     /* BAD: checked before announcing */
  :: else ->
     STRIPE_INFLIGHT[s]++;                        /* Atomics.add(STRIPE_INFLIGHT[s], 1) */
     written[slot] = 1;                    /* the publishing CAS */
     atomic { STRIPE_INFLIGHT[s]--; ret[slot] = OK }
  fi
#else
  STRIPE_INFLIGHT[s]++;                           /* announce: Atomics.add(STRIPE_INFLIGHT[s], 1) */
  if
  :: STATE != 0 ->                        /* then check: Atomics.load(STATE) */
     atomic { STRIPE_INFLIGHT[s]--; ret[slot] = SEALED }   /* back off, return Sealed */
  :: else ->
     written[slot] = 1;                    /* the publishing CAS */
     atomic { STRIPE_INFLIGHT[s]--; ret[slot] = OK }       /* Atomics.sub; return ok */
  fi
#endif
}

proctype Writer(byte w) {
  byte i = 0;
  do
  :: i < OPS -> writeOp(w * OPS + i, STRIPE(w)); i++
  :: else -> break
  od;
  fin++
}

proctype Sealer(byte id) {
  byte s;
  bit won;
  atomic {                                 /* Atomics.compareExchange(STATE, 0, 1) */
    if :: STATE == 0 -> STATE = 1; won = 1
       :: else -> won = 0                  /* return AlreadySealed */
    fi
  };
  if
  :: won ->
#ifndef NO_WAIT
     /* wait for every stripe to drain; a writer that announces later sees
      * STATE != 0 and backs off without writing */
     s = 0;
     do
     :: s < NS -> (STRIPE_INFLIGHT[s] == 0); s++  /* spin until Atomics.load == 0 */
     :: else -> break
     od;
#endif
     /* the frozen view: plain reads, one slot at a time */
     s = 0;
     do
     :: s < NSLOT -> frozen[s] = written[s]; s++
     :: else -> break
     od;
     atomic { sealOk[id] = 1; sealReturned = 1 }
  :: else -> skip
  fi;
  fin++
}

init {
  byte i, n;
  atomic {
    i = 0;
    do :: i < NW -> run Writer(i); i++ :: else -> break od;
    i = 0;
    do :: i < NSEAL -> run Sealer(i); i++ :: else -> break od
  }
  (fin == NW + NSEAL);                     /* every process is done */
  n = 0; i = 0;
  do :: i < NSEAL -> n = n + sealOk[i]; i++ :: else -> break od;
  assert(n == 1);                                          /* @one-sealer */
  i = 0;
  do
  :: i < NSLOT ->
     assert(ret[i] != OK || frozen[i]);                    /* @ok-frozen */
     assert(written[i] == frozen[i]);                      /* @frozen-immutable */
     assert(ret[i] != SEALED || !written[i]);              /* @sealed-nowrite */
     i++
  :: else -> break
  od
}
