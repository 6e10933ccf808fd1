/*
 * skl_insert.pml -- the link protocol of fastskip's insert().
 *
 * Real code modelled: the insert path of src/_writer.ts (ListWriter:
 * #findSplice top-down through src/_search.ts, then link the new node level by level with
 * Atomics.compareExchange on the predecessor's next[] word), i.e. the
 * RocksDB InlineSkipList::Insert<UseCAS=true> / Pebble arenaskl scheme
 * (forward links only, nodes never unlinked or freed):
 *   - level 0 is linked first with a CAS;
 *   - a failed CAS re-searches THAT level starting from the old prev
 *     (never from the head, never without comparing keys);
 *   - level i+1 is linked only after level i succeeded (bottom-up);
 *   - a writer that finds its key already present at level 0 (during the
 *     search or the re-search) lost the race: it returns "exists" and
 *     does not link anything (in the real code it then falls back to
 *     prepending a version, see versions.pml).
 *
 * Why interleaving semantics is exact: every link word is a shared Int32
 * touched only through Atomics.load / Atomics.compareExchange, which are
 * sequentially consistent in the ECMAScript memory model.  Key bytes and
 * the new node's own next[] words are written with plain stores while the
 * node is still private and become visible through the publishing CAS
 * (a plain write that happens-before an Atomics write W is visible to any
 * agent whose Atomics read observes W).  So spin's interleaving of whole
 * atomic steps is exactly the set of behaviours JS allows; no weak-memory
 * reordering has to be simulated.
 *
 * Model: 2 levels, list height fixed at 2, head = node 0, NIL = 255.
 * Writers insert one key each and pick height 1 or 2 nondeterministically.
 * Writer 0 and writer 2 use the SAME key (2), writer 1 uses key 1, so the
 * same-key race and the different-key race both occur.  A reader searches
 * for key 1 (or, with -DREADER_ANY_KEY, for key 1 or 2) concurrently; a
 * monitor checks the structure once every writer has returned.
 *
 * Assertions (tags in comments are read by run.sh):
 *   @reader-lost  a search that starts after insert(1) returned finds key 1
 *   @L0-sorted    level 0 strictly sorted (so also no duplicate key)
 *   @L0-count     level 0 holds exactly the inserts that returned "inserted"
 *   @one-winner   same key, two writers: exactly one returns "inserted"
 *   @L1-sorted    level 1 strictly sorted
 *   @L1-sublist   every level-1 node is on level 0
 *   @dup-upper    a duplicate is only ever detected at level 0
 *
 * Known-bad variants (spin -D...), each must FAIL:
 *   FASTSKIP_UPPER  upper levels re-read pred.next and CAS it without a key
 *                   comparison (fastskip 0.1.x skiplist.rs insert_inner);
 *                   caught by @L1-sorted.
 *   NO_RESEARCH     a failed level-0 CAS is retried with whatever
 *                   prev.next now holds, without re-searching (no key
 *                   comparison); caught by @L0-sorted (a smaller key or the
 *                   same key slipped in between prev and the old successor).
 */

#define NW    3
#define NIL   255
#define HEAD  0
#define MAXN  4          /* head + one node per writer (node of writer t = t+1) */

byte key[MAXN];          /* immutable once the node is published */
byte nxt0[MAXN];         /* level-0 link words (Atomics) */
byte nxt1[MAXN];         /* level-1 link words (Atomics) */
bit  ok[NW];             /* ghost: insert returned "inserted" */
byte fin = 0;            /* ghost: writers that have returned */

/* Atomics.load of the link word of node n at level lvl. */
inline getNext(lvl, n, r) {
  if
  :: lvl == 0 -> r = nxt0[n]
  :: else     -> r = nxt1[n]
  fi
}

/* Plain store into the new node's own (still private) link word. */
inline setOwnNext(lvl, n, v) {
  if
  :: lvl == 0 -> nxt0[n] = v
  :: else     -> nxt1[n] = v
  fi
}

/* Atomics.compareExchange(link word of n at lvl, old, new) == old */
inline cas(lvl, n, old, new, res) {
  atomic {
    if
    :: lvl == 0 ->
       if :: nxt0[n] == old -> nxt0[n] = new; res = 1
          :: else -> res = 0 fi
    :: else ->
       if :: nxt1[n] == old -> nxt1[n] = new; res = 1
          :: else -> res = 0 fi
    fi
  }
}

/* Walk right on one level starting at p (p.key < k, or p = head); stop at
 * the first node with key >= k.  On exit p = last node < k, q = its
 * successor and found = (q.key == k).  Each getNext is one Atomics.load. */
inline findForLevel(k, lvl, p, q, found) {
  found = 0;
  do
  :: getNext(lvl, p, q);
     if
     :: q == NIL -> break
     :: else ->
        if
        :: key[q] >  k -> break
        :: key[q] == k -> found = 1; break
        :: key[q] <  k -> p = q
        fi
     fi
  od
}

proctype Writer(byte t; byte k) {
  byte me = t + 1;       /* this writer's node (allocated once) */
  byte h, lvl, p, q, p1, q1, p0, q0;
  bit found, res;

  if :: h = 1 :: h = 2 fi;                 /* random height */

  /* findSplice, top-down: (p1,q1) at level 1, then (p0,q0) from p1. */
  p1 = HEAD;
  findForLevel(k, 1, p1, q1, found);
  if :: found -> goto out :: else -> skip fi;
  p0 = p1;
  findForLevel(k, 0, p0, q0, found);
  if :: found -> goto out :: else -> skip fi;

  key[me] = k;                             /* node is private until the CAS */

  /* Link bottom-up: level lvl is attempted only after lvl-1 succeeded. */
  lvl = 0; p = p0; q = q0;
  do
  :: lvl < h ->
#ifdef FASTSKIP_UPPER
     /* BAD: upper level ignores the splice and takes pred.next as is */
     if :: lvl > 0 -> getNext(lvl, p, q) :: else -> skip fi;
#endif
     setOwnNext(lvl, me, q);
     cas(lvl, p, q, me, res);
     if
     :: res ->
        lvl++;
        if :: lvl == 1 -> p = p1; q = q1 :: else -> skip fi
     :: else ->
#if defined(FASTSKIP_UPPER)
        if
        :: lvl > 0 -> skip                  /* BAD: retry with a fresh pred.next */
        :: else    -> findForLevel(k, lvl, p, q, found)
        fi;
#elif defined(NO_RESEARCH)
        if
        :: lvl == 0 -> getNext(lvl, p, q); found = 0  /* BAD: stale splice, no key check */
        :: else     -> findForLevel(k, lvl, p, q, found)
        fi;
#else
        findForLevel(k, lvl, p, q, found);   /* re-search this level from prev */
#endif
        if
        :: found ->
           /* Lost the same-key race.  Only possible at level 0: a loser
            * never links level 0, hence never any upper level. */
           assert(lvl == 0);                               /* @dup-upper */
           goto out
        :: else  -> skip
        fi
     fi
  :: else -> break
  od;
  ok[t] = 1;
out:
  fin++
}

/* Concurrent reader (get): if an insert of key k had already returned
 * "inserted" when the search started, the search must find k.  The
 * default reader looks for key 1 (racing inserts of other keys);
 * -DREADER_ANY_KEY lets it look for key 2 as well (racing the same-key
 * writers), at about 2.3x the states (run.sh --full). */
proctype Reader() {
  bit before, found;
  byte p, q, k;
#ifdef READER_ANY_KEY
  if
  :: k = 1; before = ok[1]
  :: k = 2; before = ok[0] | ok[2]
  fi;
#else
  k = 1; before = ok[1];
#endif
  p = HEAD;
  findForLevel(k, 1, p, q, found);
  if
  :: !found -> findForLevel(k, 0, p, q, found)
  :: else -> skip
  fi;
  assert(!before || found)                                 /* @reader-lost */
}

/* After all writers return: each level strictly sorted, level 1 a sublist
 * of level 0, every successful insert present exactly once, no loser
 * present, exactly one winner per key. */
proctype Monitor() {
  byte n, m, cnt, i, oks;
  (fin == NW);
  /* level 0: strictly sorted, and count the nodes */
  n = nxt0[HEAD]; cnt = 0;
  do
  :: n == NIL -> break
  :: n != NIL ->
     cnt++;
     m = nxt0[n];
     if :: m != NIL -> assert(key[n] < key[m])             /* @L0-sorted */
        :: else -> skip fi;
     n = m
  od;
  oks = 0; i = 0;
  do :: i < NW -> oks = oks + ok[i]; i++ :: else -> break od;
  assert(cnt == oks);                                      /* @L0-count */
  assert(ok[0] + ok[2] == 1 && ok[1] == 1);                /* @one-winner */
  /* level 1: strictly sorted and a sublist of level 0 */
  n = nxt1[HEAD];
  do
  :: n == NIL -> break
  :: n != NIL ->
     m = nxt1[n];
     if :: m != NIL -> assert(key[n] < key[m])             /* @L1-sorted */
        :: else -> skip fi;
     i = nxt0[HEAD];
     do
     :: i == NIL -> assert(false)                          /* @L1-sublist */
     :: i == n -> break
     :: else -> i = nxt0[i]
     od;
     n = m
  od
}

init {
  byte i;
  key[HEAD] = 0;                           /* head sorts before every key */
  i = 0;
  do :: i < MAXN -> nxt0[i] = NIL; nxt1[i] = NIL; i++ :: else -> break od;
  atomic {
    run Writer(0, 2);
    run Writer(1, 1);
    run Writer(2, 2);
    run Reader();
    run Monitor()
  }
}
