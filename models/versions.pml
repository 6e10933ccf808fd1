/*
 * versions.pml -- commit stamps with helping, including put/delete versions.
 *
 * Real code modelled: the version chain of one key (src/_versions.ts,
 * ListWriter.#prepend in src/_writer.ts).  Each key has ONE node; its
 * mutable word `NODE_VERSIONS` (the chain head)
 * points to a chain of version records, newest first.  A record is
 * {stamp, kind, older, value}; only `stamp` changes after publication
 * (PENDING -> a drawn stamp, exactly once).
 *   put / delete (writer):
 *     loop { h = Atomics.load(NODE_VERSIONS);
 *            if h != NIL and Atomics.load(stamp[h]) == PENDING: resolve(h);
 *            older[v] = h; stamp[v] = PENDING;    (private record, plain)
 *            if Atomics.compareExchange(NODE_VERSIONS, h, v) == h: break }
 *     x = Atomics.add(CLOCK, 1); CAS stamp[v] PENDING -> x; return
 *   resolve(r): x = Atomics.add(CLOCK, 1); CAS stamp[r] PENDING -> x
 *   get (latest reader): h = load(NODE_VERSIONS); resolve(h) if PENDING; value[h]
 *   snapshot: S = Atomics.load(CLOCK) (CLOCK = next stamp, starts at 1);
 *     a version is visible iff stamp < S; reading the key in S walks the
 *     chain from NODE_VERSIONS, resolving every PENDING stamp met, and returns the
 *     first version with stamp < S (or absent).
 * The first version of a key is published by the node's level-0 link
 * (skl_insert.pml); here that is abstracted as the first CAS of `NODE_VERSIONS`
 * from NIL.  A writer that loses that race falls back to prepending, which
 * is exactly the retry of the loop above.  A delete prepends a tombstone
 * record; the protocol does not look at the kind.
 *
 * Why interleaving semantics is exact: NODE_VERSIONS, stamp[] and CLOCK are only
 * touched with Atomics (load, add, compareExchange), which are sequentially
 * consistent in the ECMAScript memory model; the record's immutable fields
 * (older, kind, value) are written with plain stores while the record is
 * private and published by the head CAS (happens-before through the
 * Atomics write that the reader's Atomics.load observes).  Spin's
 * interleaving of these atomic steps is exactly what JS allows.
 *
 * Configuration: writer 1 = put, writer 2 = delete (tombstone), both on one
 * key; one latest reader (get); one snapshot reader that reads the key
 * twice in the same snapshot.  Record r is written by writer r (its stamp
 * starts PENDING: the record is allocated that way).  The key starts
 * absent; -DPRESENT starts it with a committed version (stamp 1), so every
 * write is a prepend and snapshots can fall back to that old version.
 * -DREADERS_ONLY drops the end-of-run checks (c), leaving only what readers
 * can observe.  Put/put is the same state space: no step looks at the kind.
 *
 * Assertions (tags in comments are read by run.sh):
 *   @stable        (a) two passes of one snapshot return the same version
 *   @rt-visible    (b) a write completed before S was loaded has stamp < S
 *   @rt-newest     (b) the snapshot returns that write or a newer one
 *                      (newer = nearer the head of the chain)
 *   @rt-future     (b) a version whose write began after S was loaded is
 *                      not returned
 *   @snap-max      the snapshot returns the visible version with the
 *                  largest stamp (chain order and stamp order agree, as any
 *                  consumer that orders versions by stamp, e.g. a flush,
 *                  assumes)
 *   @get-snap      (d) a get that returned v before S was loaded => the
 *                      snapshot returns v or newer
 *   @get-rt        a get returns a version at least as new as every write
 *                  completed before the get started
 *   @chain-order   (c) at the end: stamps strictly decrease from head
 *   @no-pending    (c) at the end: no stamp is PENDING
 *   @chain-content (c) at the end: the chain holds every write exactly once
 *
 * Known-bad variants (spin -D...), each must FAIL:
 *   NO_HEAD_RESOLVE    the writer prepends over a PENDING head without
 *                      resolving it; a helper can then stamp the newer
 *                      version before the older one: caught by
 *                      @chain-order (and, with -DREADERS_ONLY, @snap-max).
 *                      The chain walk itself cannot see it on one key:
 *                      (a), (b) and (d) still hold.
 *   STAMP_BEFORE_LINK  the stamp is drawn before the CAS that links the
 *                      version (fastskip 0.1.x): a version with stamp < S
 *                      is linked after the snapshot's first pass: caught
 *                      by @stable (also breaks @snap-max, @chain-order).
 */

#define NIL     0
#define PENDING 255
#define NW      2        /* writers; record r (1..NW) belongs to writer r */
#define NPROC   4        /* writers + get + snapshot */
#ifdef PRESENT
#define V0      3        /* the version the key already had (committed) */
#define NV      4        /* records 0..3, record 0 unused (NIL) */
#else
#define NV      3        /* records 0..NW, record 0 unused (NIL) */
#endif
#define NREC    (NV - 1) /* records that end up in the chain */

byte NODE_VERSIONS = NIL;         /* the key node's version-chain head (Atomics) */
byte CLOCK = 1;        /* next stamp to hand out (Atomics) */
byte stamp[NV];          /* PENDING or the commit stamp (Atomics) */
byte older[NV];          /* immutable once published */
bit  tomb[NV];           /* kind: 1 = delete tombstone; immutable */

/* ghost state, used only by assertions */
byte beganMask = 0;      /* bit r: writer r has started */
byte doneMask = 0;       /* bit r: writer r has returned */
bit  getDone = 0;        /* the get has returned ... */
byte gotV = NIL;         /* ... this version (NIL = key absent) */
byte fin = 0;            /* processes that have finished */

#define BIT(r)  (1 << (r))

/* x = Atomics.add(CLOCK, 1) */
inline draw(x) {
  atomic { x = CLOCK; CLOCK++ }
}

/* Resolve the stamp of record r and return it in s:
 *   s = Atomics.load(stamp[r]);
 *   if (s === PENDING) { x = Atomics.add(CLOCK, 1);
 *                        old = Atomics.compareExchange(stamp[r], PENDING, x);
 *                        s = old === PENDING ? x : old }
 * Whoever meets PENDING fixes the stamp with a value drawn NOW, so a
 * version linked after a snapshot S was taken can only get a stamp >= S. */
inline resolve(r, s, x) {
  s = stamp[r];
  if
  :: s == PENDING ->
     draw(x);
     atomic {
       if
       :: stamp[r] == PENDING -> stamp[r] = x; s = x
       :: else -> s = stamp[r]
       fi;
       x = 0                               /* dead: keep the state vector small */
     }
  :: else -> skip
  fi
}

/* ghost: res = (w is reachable from r along `older`), i.e. r is w or a
 * newer version of the same key.  `older` of published records is
 * immutable, so callers evaluate the ghost checks inside one atomic step. */
inline atLeastAsNew(r, w, res, c) {
  c = r; res = 0;
  do
  :: c == NIL -> break
  :: c == w -> res = 1; break
  :: else -> c = older[c]
  od
}

/* put (tomb[v] = 0) or delete (tomb[v] = 1) by writer v, using record v.
 * Ghost updates (began/done) ride on the writer's first and last shared
 * step, so they add no interleavings. */
proctype Writer(byte v) {
  byte h, x, s;
  bit res;
#ifdef STAMP_BEFORE_LINK
  atomic {                                 /* BAD: stamp fixed before linking */
    beganMask = beganMask | BIT(v);
    x = CLOCK; CLOCK++; stamp[v] = x; x = 0
  };
#endif
  do
  :: atomic {
       beganMask = beganMask | BIT(v);     /* ghost: the write has begun */
       h = NODE_VERSIONS                            /* Atomics.load(NODE_VERSIONS) */
     };
#ifndef NO_HEAD_RESOLVE
     /* The head's stamp must be fixed before anything is prepended: then
      * the new version's stamp (drawn after its link) is strictly larger. */
     if :: h != NIL -> resolve(h, s, x); s = 0 :: else -> skip fi;
#endif
     atomic {
       older[v] = h;                       /* private record: plain store */
       if                                  /* Atomics.compareExchange(NODE_VERSIONS, h, v) */
       :: NODE_VERSIONS == h -> NODE_VERSIONS = v; res = 1
       :: else -> res = 0
       fi;
       h = 0
     };
     if :: res -> break :: else -> skip fi
  od;
#ifndef STAMP_BEFORE_LINK
  draw(x);                                 /* stamp drawn AFTER the link */
  atomic {                                 /* CAS stamp[v] PENDING -> x; return */
    if :: stamp[v] == PENDING -> stamp[v] = x :: else -> skip fi;
    x = 0;
    doneMask = doneMask | BIT(v); fin++    /* ghost: returned */
  }
#else
  atomic { doneMask = doneMask | BIT(v); fin++ }
#endif
}

/* get(): newest version, its stamp resolved before returning. */
proctype Getter() {
  byte h, s, x, startDone, c, w;
  bit res;
  atomic {
    startDone = doneMask;                  /* ghost: writes done before get */
    h = NODE_VERSIONS                               /* Atomics.load(NODE_VERSIONS) */
  };
  if :: h != NIL -> resolve(h, s, x) :: else -> skip fi;
  /* return value[h] (absent if h == NIL or tomb[h]) */
  atomic {
    gotV = h; getDone = 1;                 /* ghost: returned */
    w = 1;
    do
    :: w > NREC -> break
    :: else ->
       if
       :: startDone & BIT(w) ->
          atLeastAsNew(h, w, res, c);
          assert(res)                                     /* @get-rt */
       :: else -> skip
       fi;
       w++
    od;
    h = 0; s = 0; startDone = 0; c = 0; w = 0; res = 0;
    fin++
  }
}

/* Read the key in snapshot S: first version with stamp < S, or NIL. */
inline readAt(S, r, s, x) {
  r = NODE_VERSIONS;                                /* Atomics.load(NODE_VERSIONS) */
  do
  :: r == NIL -> break
  :: else ->
     resolve(r, s, x);                     /* PENDING met -> stamp >= S */
     if
     :: s < S -> s = 0; break
     :: else  -> s = 0; r = older[r]      /* immutable field */
     fi
  od
}

proctype Snapshot() {
  byte S, s, x, r1, r2, sDone, sBegan, sGot, c, w;
  bit res;
  /* S = Atomics.load(CLOCK), with a ghost record of what had returned
   * or begun at that instant (ghost reads add no behaviours). */
  atomic {
    sDone = doneMask; sBegan = beganMask;
    sGot = (getDone -> gotV : NIL);
    S = CLOCK
  };
  readAt(S, r1, s, x);                     /* pass 1 */
  readAt(S, r2, s, x);                     /* pass 2, same snapshot */
  atomic {
    assert(r1 == r2);                                     /* @stable */
    /* real time: writes completed before S are visible, r1 is not older */
    w = 1;
    do
    :: w > NREC -> break
    :: else ->
       if
       :: sDone & BIT(w) ->
          assert(stamp[w] != PENDING && stamp[w] < S);    /* @rt-visible */
          atLeastAsNew(r1, w, res, c);
          assert(res)                                     /* @rt-newest */
       :: else -> skip
       fi;
       w++
    od;
    /* stamp order agrees with chain order: r1 is the visible version with
     * the largest stamp (what a flush or any consumer that orders versions
     * by stamp would pick).  Stamps still PENDING now or set after the
     * passes are >= S, so evaluating this late is sound. */
    c = NODE_VERSIONS; w = NIL;
    do
    :: c == NIL -> break
    :: else ->
       if
       :: stamp[c] != PENDING && stamp[c] < S &&
          (w == NIL || stamp[c] > stamp[w]) -> w = c
       :: else -> skip
       fi;
       c = older[c]
    od;
    assert(r1 == w);                                      /* @snap-max */
    /* nothing whose write began after S was loaded is visible */
    assert(r1 == NIL || (sBegan & BIT(r1)));              /* @rt-future */
    /* a get that returned before S was loaded: r1 is that version or newer */
    if
    :: sGot != NIL ->
       atLeastAsNew(r1, sGot, res, c);
       assert(res)                                        /* @get-snap */
    :: else -> skip
    fi;
    S = 0; r1 = 0; r2 = 0; sDone = 0; sBegan = 0; sGot = 0; c = 0; w = 0; res = 0;
    fin++
  }
}

init {
  byte r, n, prev;
  r = 0;
  do :: r < NV -> stamp[r] = PENDING; older[r] = NIL; r++ :: else -> break od;
  tomb[1] = 0;                             /* writer 1: put    */
  tomb[2] = 1;                             /* writer 2: delete */
#ifdef PRESENT
  /* the key already exists with a committed version (stamp 1) */
  stamp[V0] = 1; CLOCK = 2; NODE_VERSIONS = V0;
  beganMask = BIT(V0); doneMask = BIT(V0);
#endif
  /* Process order only steers which counterexample pan's DFS meets
   * first (readers first: the reader-visible one); it does not change the
   * set of behaviours. */
  atomic {
    run Snapshot();
    run Getter();
    run Writer(1);
    run Writer(2)
  }
  /* (c): once every process is done, the chain is complete and ordered.
   * -DREADERS_ONLY drops these end checks, leaving only what a reader can
   * observe (used to show which reader assertion a bad variant breaks). */
  (fin == NPROC);
#ifndef READERS_ONLY
  r = NODE_VERSIONS; n = 0; prev = PENDING;
  do
  :: r == NIL -> break
  :: else ->
     assert(n < NREC);              /* no cycle, no extra */ /* @chain-content */
     assert(stamp[r] != PENDING);                         /* @no-pending */
     assert(n == 0 || stamp[r] < prev);                   /* @chain-order */
     prev = stamp[r]; n++;
     r = older[r]
  od;
  assert(n == NREC)                                       /* @chain-content */
#endif
}
