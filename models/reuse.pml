/*
 * reuse.pml -- the buffer reuse protocol: release, recycle, attach.
 *
 * Real code modelled: src/_references.ts (takeReference, dropReference,
 * claimForReuse, publishList), called by Arena.create / Arena.attach
 * (src/_arena.ts) and Lease.release (src/_lease.ts): release() and attach()
 * of ConcurrentSkipList and FrozenMemtable, and the reuse of a buffer once
 * every instance of its list was released (invariant 7 of src/_layout.ts).  Two
 * control words of the buffer, on control line 3, touched only through
 * Atomics:
 *   REFS        unreleased instances of the list, over all agents; 0: every
 *               instance was released, the buffer may be reused;
 *               RECYCLING (-1): an agent is re-initialising the buffer.
 *   GENERATION  bumped each time the buffer starts a new list; a handle
 *               (share()) carries the generation of the instance that made it.
 *   create:     plain stores of the contents, then Atomics.store(REFS, 1).
 *   release:    the instance marks itself released (a local flag: it never
 *               reads the buffer again), THEN Atomics.sub(REFS, 1).
 *   recycle:    if (Atomics.compareExchange(REFS, 0, RECYCLING) !== 0) skip;
 *               Atomics.add(GENERATION, 1);
 *               rewrite the contents (control block, head node: plain stores);
 *               Atomics.store(REFS, 1)   (the recycler's new instance).
 *   attach(h):  loop { r = Atomics.load(REFS);
 *                      if (r <= 0) throw TypeError("released");
 *                      if (Atomics.compareExchange(REFS, r, r + 1) === r) break }
 *               if (Atomics.load(GENERATION) !== h.generation) {
 *                 Atomics.sub(REFS, 1);  throw TypeError("... reused") }
 *               only now read the contents.
 *
 * Why interleaving semantics is exact: REFS and GENERATION are touched only
 * with Atomics (load, add, sub, store, compareExchange), which are
 * sequentially consistent in the ECMAScript memory model.  The contents
 * are plain words.  In the correct protocol every plain access is ordered
 * by happens-before through REFS: an attacher's reads come before its
 * Atomics.sub, which the recycler's compareExchange(0 -> RECYCLING)
 * observes, and the recycler's rewrite comes before its Atomics.store(REFS, 1),
 * which any later compareExchange observes.  So there is no data race and
 * spin's interleaving of the steps is exactly what JS allows.  In a bad
 * variant the plain accesses may race, and JS then allows even more (torn
 * or out-of-thin-air values); the model already finds a violation with the
 * interleavings alone, so the under-approximation does not hide it.
 *
 * Model: the contents are two words (control block, head node), each
 * holding the generation that wrote it, so a read during the rewrite can
 * see a half-written buffer.  Processes:
 *   Owner      the creating instance (generation 0): reads, releases.
 *   Attacher   x2, each with a handle of generation 0: attach, read both
 *              words, release; or fail with "released" / "reused".
 *   Recycler   tries once, at any moment, to recycle the buffer (an agent
 *              creating a list finds it in its pool); on success its new
 *              instance reads the new list and is released again.
 * Release is two steps (mark, then sub), so an attach can take its
 * reference while the owner is between them.  Ghost state counts the
 * unreleased instances of each generation (an instance counts from the
 * step it is created or passes attach's generation check, up to its mark).
 * Processes are started recycler first: that only steers which
 * counterexample pan's depth-first search meets first (for the two
 * ordering bugs, the stale read), not the set of behaviours.
 *
 * Configurations:
 *   default           one recycler: generations 0 and 1
 *   -DTWO_RECYCLERS   two agents find the buffer in their pools: they race
 *                     for the CAS, or the second recycles the first one's
 *                     list once it is released again (generation 2)
 *
 * Assertions (tags in comments are read by run.sh):
 *   @stale-read    an instance of generation g (the owner, a successful
 *                  attach, a recycler's new instance) reads only contents
 *                  written for generation g
 *   @recycle-live  the buffer is recycled (CAS to RECYCLING), and its
 *                  GENERATION bumped, only while no instance of the current
 *                  generation is unreleased
 *   @refs-floor    REFS never goes below RECYCLING (checked at every
 *                  decrement, the only steps that lower it)
 *   @refs-end      once every process is done: REFS equals the number of
 *                  unreleased instances (here 0: everything was released,
 *                  so the buffer can be reused)
 *
 * Reachability (spin -D...), each asserts that an interleaving never
 * happens and must FAIL, so the reference cannot pass vacuously:
 *   REACH_ATTACH_RECYCLE  one run has an attach succeed and the buffer
 *                         recycled (after that attacher released)
 *   REACH_ABA             an attach's CAS succeeds with the count it loaded
 *                         under generation 0 while the buffer already holds
 *                         generation 1 (REFS went 1 -> 0 -> RECYCLING -> 1):
 *                         only the generation check can back it out
 *   REACH_RELEASE_RACE    an attach takes its reference while the owner is
 *                         releasing (marked released, not yet subtracted)
 *
 * Known-bad variants (spin -D...), each must FAIL:
 *   ATTACH_CHECK_FIRST   attach loads GENERATION before taking its
 *                        reference (check, then act): the buffer is
 *                        recycled in between and the attach joins the new
 *                        list with its old handle: caught by @stale-read.
 *   PUBLISH_BEFORE_BUMP  the recycler stores REFS = 1 before bumping
 *                        GENERATION (the rewrite still before the store):
 *                        an old handle attaches in between and passes the
 *                        generation check: caught by @stale-read (also
 *                        breaks @recycle-live: GENERATION is bumped under
 *                        that instance).
 *   INCREMENT_BLIND      attach does Atomics.add(REFS, 1) without checking
 *                        r > 0: an add after the recycler's CAS takes REFS
 *                        from RECYCLING to 0, the recycler's store(REFS, 1)
 *                        overwrites it, and the attacher's release is one
 *                        sub too many: REFS ends at RECYCLING with every
 *                        instance released, so the buffer is never reused:
 *                        caught by @refs-end (also breaks @refs-floor,
 *                        @recycle-live and @stale-read).
 */

#define RECYCLING  -1
#define NA         2         /* attachers */
#ifdef TWO_RECYCLERS
#define NR         2         /* recyclers */
#else
#define NR         1
#endif
#define NG         (NR + 1)  /* generations the buffer can reach */
#define NPROC      (NA + NR + 1)  /* attachers + recyclers + owner */
#define G          0         /* the attachers' handle generation */
#define NWORDS     2         /* contents: control block, head node */

short refs = 0;              /* REFS (Atomics) */
byte  gen = 0;               /* GENERATION (Atomics) */
byte  contents[NWORDS];      /* plain words: the generation that wrote them */

/* ghost state, used only by assertions */
byte  live[NG];              /* unreleased instances, per generation */
bit   ownerReleasing = 0;    /* the owner has marked itself, not yet subbed */
bit   attached = 0;          /* some attach succeeded */
bit   recycled = 0;          /* a recycler's CAS succeeded */
bit   aba = 0;               /* an attach CAS hit a later generation's count */
bit   raced = 0;             /* an attach took its ref while the owner released */
byte  fin = 0;               /* processes that have finished */

/* Atomics.sub(REFS, 1), the only step besides the CAS that lowers REFS. */
inline subRef() {
  atomic {
    refs--;
    assert(refs >= RECYCLING)                          /* @refs-floor */
  }
}

proctype Owner() {
  /* created by init: contents written, REFS = 1, live[0] = 1 */
  assert(contents[0] == 0);                            /* @stale-read */
  atomic { live[0]--; ownerReleasing = 1 };            /* mark released */
  atomic { subRef(); ownerReleasing = 0 };             /* then Atomics.sub */
  fin++
}

proctype Attacher() {
#ifndef INCREMENT_BLIND
  short r;
  byte g0;                   /* ghost: GENERATION when r was loaded */
#endif
  bit ok = 0;
#ifdef ATTACH_CHECK_FIRST
  if                         /* BAD: Atomics.load(GENERATION) first */
  :: gen != G -> goto done   /* "reused" */
  :: else -> skip
  fi;
#endif
#ifdef INCREMENT_BLIND
  refs++;                    /* BAD: Atomics.add(REFS, 1), no r > 0 check */
#else
  do
  :: atomic { r = refs; g0 = gen };                    /* Atomics.load(REFS) */
     if
     :: r <= 0 -> goto done                            /* throw "released" */
     :: else -> skip
     fi;
     atomic {                      /* Atomics.compareExchange(REFS, r, r+1) */
       if
       :: refs == r ->
          refs = r + 1; ok = 1;
          aba = aba | (g0 != gen);
          raced = raced | ownerReleasing
       :: else -> skip             /* REFS moved: load again */
       fi
     };
     if :: ok -> break :: else -> skip fi
  od;
  ok = 0;
#endif
#ifndef ATTACH_CHECK_FIRST
  atomic {                                       /* Atomics.load(GENERATION) */
    if
    :: gen == G -> ok = 1; live[G]++; attached = 1
    :: else -> ok = 0
    fi
  };
  if
  :: !ok -> subRef(); goto done    /* undo as a release; throw "reused" */
  :: else -> skip
  fi;
#else
  atomic { live[G]++; attached = 1 };
#endif
  /* the attach returned: read the list (options, head links) */
  assert(contents[0] == G);                            /* @stale-read */
  assert(contents[1] == G);                            /* @stale-read */
  live[G]--;                                           /* mark released */
  subRef();                                            /* then Atomics.sub */
done:
  fin++
}

/* ng, the generation the recycler creates, is what its
 * Atomics.add(GENERATION, 1) returns plus one.  PUBLISH_BEFORE_BUMP
 * rewrites the contents before that add, so there it is read ahead, at
 * the CAS (which is what the add then returns in that variant's runs). */
proctype Recycler() {
  bit won;
  byte ng;
  atomic {                   /* Atomics.compareExchange(REFS, 0, RECYCLING) */
    if
    :: refs == 0 ->
       refs = RECYCLING; won = 1; recycled = 1;
#ifdef PUBLISH_BEFORE_BUMP
       ng = gen + 1;
#endif
       assert(live[gen] == 0)                          /* @recycle-live */
    :: else -> won = 0       /* in use: skip this buffer */
    fi
  };
  if
  :: won ->
#ifndef PUBLISH_BEFORE_BUMP
     atomic {                                  /* Atomics.add(GENERATION, 1) */
       assert(live[gen] == 0);                         /* @recycle-live */
       gen++; ng = gen
     };
#endif
     contents[0] = ng;       /* rewrite: plain stores */
     contents[1] = ng;
     atomic { refs = 1; live[ng]++ };          /* Atomics.store(REFS, 1) */
#ifdef PUBLISH_BEFORE_BUMP
     atomic {              /* BAD: Atomics.add(GENERATION, 1) after publishing */
       assert(live[gen] == 0);                         /* @recycle-live */
       gen++
     };
#endif
     /* the recycler's new instance reads its list, then is released */
     assert(contents[0] == ng);                        /* @stale-read */
     live[ng]--;                                       /* mark released */
     subRef()                                          /* then Atomics.sub */
  :: else -> skip
  fi;
  fin++
}

init {
  byte i, n;
  /* create: contents by plain stores, then Atomics.store(REFS, 1) */
  i = 0;
  do :: i < NWORDS -> contents[i] = 0; i++ :: else -> break od;
  refs = 1; live[0] = 1;
  atomic {
    i = 0;
    do :: i < NR -> run Recycler(); i++ :: else -> break od;
    run Owner();
    i = 0;
    do :: i < NA -> run Attacher(); i++ :: else -> break od
  }
  (fin == NPROC);                    /* every process is done */
  n = 0; i = 0;
  do :: i < NG -> n = n + live[i]; i++ :: else -> break od;
  assert(refs == n);                                   /* @refs-end */
#ifdef REACH_ATTACH_RECYCLE
  assert(!(attached && recycled));                     /* @reach-attach-recycle */
#endif
#ifdef REACH_ABA
  assert(!aba);                                        /* @reach-aba */
#endif
#ifdef REACH_RELEASE_RACE
  assert(!raced);                                      /* @reach-release-race */
#endif
  skip
}
