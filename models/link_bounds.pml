/*
 * link_bounds.pml -- the successor-prefix words next to the links (format 4).
 *
 * Layout modelled: next to every link word link(l) of a node sits a word
 * bound(l), the first 4 bytes of the successor's key (big-endian), so that
 * a search can decide "the probe sorts below the successor" without
 * touching the successor node.  Keys never move and nodes are never
 * unlinked, so the key of a node's successor at a level only ever
 * decreases: an insert puts a smaller key between the node and its
 * successor.
 *
 * Writer of a shared list (the insert path of src/_writer.ts), node me with
 * splice (p, q) at level l, levels linked bottom-up exactly as in
 * skl_insert.pml (level l only after l-1 succeeded, a failed CAS re-searches
 * that level from the old p, a writer that finds its key at level 0 links
 * nothing):
 *   1. store own link(l) = q, then own bound(l) = (q == NIL ? MAX : key[q]);
 *      plain stores while me is private at level 0, Atomics.store above;
 *   2. CAS p.link(l): q -> me;
 *   3. success: Atomics.store p.bound(l) = key[me];
 *      failure: re-search the level from p and go back to 1.
 * Two inserts into one gap can store p.bound out of order, and a writer can
 * be killed between its CAS and its bound store, so a bound may be stale
 * high; the property readers rely on is only an upper bound:
 *   for every node X and level l with link(l) != NIL:  bound(l) >= key[link(l)].
 *
 * Frozen reader (a lookup after all writes), at node X, level l,
 * succ = link(l), b = bound(l):
 *   succ == NIL        -> down;
 *   probe > b          -> forward to succ without reading its key
 *                         (b >= key[succ], so probe > key[succ]);
 *   probe < b, l > 0   -> down without reading succ's key (going down early
 *                         is safe: the lower level is a superset and X still
 *                         sorts below the probe);
 *   otherwise          -> compare the probe with key[succ]: equal = found,
 *                         greater = forward, smaller = down.
 * At level 0 "down" ends the lookup with "absent", and probe < b does not
 * imply probe < key[succ] when b is stale high: so level 0 compares the key
 * whenever probe <= b.  -DSTOP_ON_BOUND is the rule that also stops at level
 * 0 on probe < b, and it loses keys (see below).
 *
 * Why interleaving semantics is exact: see skl_insert.pml; every shared
 * word (links and bounds) is touched through Atomics once reachable, and
 * key bytes and a private node's own words are published by the CAS.
 *
 * Model: 2 levels, head = node 0 (key 0, below every key), a node with key
 * 4 already on both levels (node 1), NIL = 255, MAX = 255 (the bound stored
 * for a NIL successor; a bound is the key itself, keys are small).  Three
 * writers, all into the gap (head, 4): keys 3, 2 and 2, so an insert of 2
 * can slip in before 3 stores head.bound (the out-of-order stores), and the
 * two writers of key 2 race for the same key.  Each picks height 1 or 2.
 * A writer may be killed before each CAS and before each store into p's
 * bound, so in particular between its CAS and its bound store.  That covers
 * a kill at any step: a kill before a read is the same as a kill before the
 * next write (reads change nothing), and me's own link and bound at a level
 * are stored in one step, since nobody can reach them before the CAS.
 * -DNO_KILLS removes the kill points.  A monitor runs once every writer has
 * returned or died: it checks the structure and the bounds, then runs the
 * frozen reader for every probe 1..5.
 *
 * Assertions (tags are read by run.sh):
 *   @bound-upper  every node, level: link != NIL -> bound >= key[link]
 *   @bound-find   the frozen reader finds probe k iff k is on level 0
 *                 (key 4, and every writer whose level-0 CAS succeeded)
 *   @L0-sorted    level 0 strictly sorted
 *   @L0-count     level 0 holds node 4 and exactly the level-0 CAS winners
 *   @one-winner   at most one winner for key 2, exactly one unless one of
 *                 its writers was killed; key 3 inserted unless killed
 *   @L1-sorted    level 1 strictly sorted
 *   @L1-sublist   every level-1 node is on level 0
 *   @dup-upper    a duplicate is only ever detected at level 0
 *   @bound-always (-DALWAYS) the @bound-upper property at one arbitrary
 *                 moment, i.e. in every reachable state, writers running
 *
 * Reachability (must fail, so the reference cannot pass vacuously):
 *   REACH_STALE_HIGH  asserts every bound is exact at the end
 *                     (@reach-stale-high); with -DNO_KILLS it fails only
 *                     through two inserts storing one bound out of order.
 *
 * Known-bad variants (spin -D...):
 *   BOUND_BEFORE_CAS  p.bound(l) = key[me] is stored before the CAS; caught
 *                     by @bound-upper (writer killed between that store and
 *                     its CAS: p's bound is below its successor's key).
 *                     With -DNO_KILLS it passes: a writer whose CAS fails
 *                     either retries at the same p, storing its bound
 *                     again, or moves right past a successor smaller than
 *                     its key, so the last bound stored is never below the
 *                     final successor.
 *   COPY_PRED_BOUND   me's own bound(l) is copied from p.bound(l), read
 *                     after p.link(l) == q.  Passes: p.bound >= key[p.link]
 *                     holds at every instant, so a copy read while p.link
 *                     is q is >= key[q]; if p.link changed first (a smaller
 *                     node slipped in), the CAS q -> me fails and the copy
 *                     is taken again.  The copy is only looser (stale high).
 *   FORWARD_ON_STALE  the reader goes forward without comparing also when
 *                     probe == bound; caught by @bound-find (it moves onto
 *                     the node holding the probe, and from there meets only
 *                     larger keys).
 *   STOP_ON_BOUND     the reader goes down on probe < bound at level 0
 *                     too, i.e. answers "absent" from a stale-high bound;
 *                     caught by @bound-find, also with -DNO_KILLS.
 */

#define NW    3
#define NIL   255
#define MAXB  255        /* bound stored for a NIL successor */
#define HEAD  0
#define NPRE  1          /* node 1: key 4, already on both levels */
#define MAXN  5          /* head + node 4 + one node per writer (node t+2) */
#define MAXK  5          /* the reader probes 1..MAXK */

byte key[MAXN];          /* immutable once the node is published */
byte nxt0[MAXN];         /* level-0 link words (Atomics) */
byte nxt1[MAXN];         /* level-1 link words (Atomics) */
byte bnd0[MAXN];         /* level-0 bound words (Atomics) */
byte bnd1[MAXN];         /* level-1 bound words (Atomics) */
bit  ok[NW];             /* ghost: insert returned "inserted" */
bit  on0[NW];            /* ghost: the writer's level-0 CAS succeeded */
bit  died[NW];           /* ghost: the writer was killed */
byte fin = 0;            /* ghost: writers that have returned or died */

#ifdef NO_KILLS
#define KILL skip
#else
/* The Worker may be killed here: it stops and never writes again. */
#define KILL if :: skip :: died[t] = 1; goto out fi
#endif

inline getNext(lvl, n, r) {
  if
  :: lvl == 0 -> r = nxt0[n]
  :: else     -> r = nxt1[n]
  fi
}

inline setNext(lvl, n, v) {
  if
  :: lvl == 0 -> nxt0[n] = v
  :: else     -> nxt1[n] = v
  fi
}

inline getBound(lvl, n, r) {
  if
  :: lvl == 0 -> r = bnd0[n]
  :: else     -> r = bnd1[n]
  fi
}

inline setBound(lvl, n, v) {
  if
  :: lvl == 0 -> bnd0[n] = v
  :: else     -> bnd1[n] = v
  fi
}

/* Atomics.compareExchange(link word of n at lvl, old, new) == old; the
 * ghost on0[t] rides on the successful level-0 CAS. */
inline cas(lvl, n, old, new, res, t) {
  atomic {
    if
    :: lvl == 0 ->
       if :: nxt0[n] == old -> nxt0[n] = new; res = 1; on0[t] = 1
          :: else -> res = 0 fi
    :: else ->
       if :: nxt1[n] == old -> nxt1[n] = new; res = 1
          :: else -> res = 0 fi
    fi
  }
}

/* Writers search with full key comparisons, as in skl_insert.pml: a splice
 * needs the LAST node below k, which the bounds cannot give (a stale-high
 * bound does not tell that the successor is above k).  On exit p = last
 * node < k, q = its successor, found = (q.key == k). */
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
  byte me = t + 1 + NPRE;  /* this writer's node (allocated once) */
  byte h, lvl, p, q, p1, q1, p0, q0, b;
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

  lvl = 0; p = p0; q = q0;
  do
  :: lvl < h ->
     /* 1. own link, then own bound.  Nobody can reach me at this level
      * before the CAS, so the two stores are one step and a kill between
      * them is the same as a kill before the CAS. */
#ifdef COPY_PRED_BOUND
     getBound(lvl, p, b);                  /* variant: copy p's bound, read after p.link == q */
#endif
     atomic {
#ifndef COPY_PRED_BOUND
       if :: q == NIL -> b = MAXB :: else -> b = key[q] fi;  /* exact, from q's key */
#endif
       setNext(lvl, me, q); setBound(lvl, me, b)
     };
#ifdef BOUND_BEFORE_CAS
     KILL; setBound(lvl, p, k);            /* BAD: p's bound before the CAS */
#endif
     /* 2. publish */
     KILL; cas(lvl, p, q, me, res, t);
     if
     :: res ->
        /* 3. p's successor is now me */
#ifndef BOUND_BEFORE_CAS
        KILL; setBound(lvl, p, k);
#endif
        lvl++;
        if :: lvl == 1 -> p = p1; q = q1 :: else -> skip fi
     :: else ->
        findForLevel(k, lvl, p, q, found); /* re-search this level from prev */
        if
        :: found ->
           assert(lvl == 0);                               /* @dup-upper */
           goto out
        :: else -> skip
        fi
     fi
  :: else -> break
  od;
  ok[t] = 1;
out:
  fin++
}

/* Frozen lookup of probe k with the bound rules (see the header); ends with
 * found = 1 iff it met a node whose key equals k. */
inline frozenFind(k, found) {
  x = HEAD; lvl = 1; found = 0;
  do
  :: getNext(lvl, x, s); getBound(lvl, x, b);
     if
     :: s == NIL -> goto down
#ifdef FORWARD_ON_STALE
     :: s != NIL && k >= b -> x = s        /* BAD: equality taken as "forward" */
#else
     :: s != NIL && k > b -> x = s         /* k > b >= key[s]: forward, succ unread */
#endif
#ifdef STOP_ON_BOUND
     :: s != NIL && k < b -> goto down     /* BAD at level 0: "absent" from a bound */
#else
     :: s != NIL && k < b && lvl > 0 -> goto down   /* early down: safe above level 0 */
     :: s != NIL && k < b && lvl == 0 -> goto cmp
#endif
#ifndef FORWARD_ON_STALE
     :: s != NIL && k == b -> goto cmp
#endif
     fi;
     goto next;
cmp: if
     :: key[s] == k -> found = 1; break
     :: key[s] <  k -> x = s; goto next
     :: key[s] >  k -> skip
     fi;
down:
     if
     :: lvl == 0 -> break
     :: else -> lvl--
     fi;
next:
     skip
  od
}

#ifdef ALWAYS
/* -DALWAYS: at one arbitrary moment of the run (any reachable state, since
 * this single atomic step can be scheduled anywhere), every node reachable
 * on a level has bound >= key[link], not only once the writers are done. */
proctype Observer() {
  byte n, m;
  atomic {
    n = HEAD;
    do
    :: nxt0[n] == NIL -> break
    :: else -> m = nxt0[n]; assert(bnd0[n] >= key[m]); n = m     /* @bound-always */
    od;
    n = HEAD;
    do
    :: nxt1[n] == NIL -> break
    :: else -> m = nxt1[n]; assert(bnd1[n] >= key[m]); n = m     /* @bound-always */
    od
  }
}
#endif

/* After all writers returned or died: structure, bounds, frozen lookups. */
proctype Monitor() {
  byte n, m, cnt, i, oks, x, s, b, lvl, k, want;
  bit found;
  (fin == NW);
  atomic {                                 /* nothing runs any more */
    /* level 0: strictly sorted, count the nodes, bounds are upper bounds */
    n = HEAD; cnt = 0;
    do
    :: nxt0[n] == NIL -> break
    :: else ->
       m = nxt0[n];
       assert(bnd0[n] >= key[m]);                            /* @bound-upper */
#ifdef REACH_STALE_HIGH
       assert(bnd0[n] == key[m]);                            /* @reach-stale-high */
#endif
       if :: n != HEAD -> assert(key[n] < key[m])            /* @L0-sorted */
          :: else -> skip fi;
       cnt++;
       n = m
    od;
    oks = NPRE; i = 0;
    do :: i < NW -> oks = oks + on0[i]; i++ :: else -> break od;
    assert(cnt == oks);                                      /* @L0-count */
    /* key 2: at most one winner, exactly one if neither writer was killed;
     * key 3 (no rival): inserted unless its writer was killed */
    assert(ok[1] + ok[2] <= 1 && (died[1] || died[2] || ok[1] + ok[2] == 1)); /* @one-winner */
    assert(died[0] || ok[0]);                                /* @one-winner */
    /* level 1: strictly sorted, a sublist of level 0, bounds upper bounds */
    n = HEAD;
    do
    :: nxt1[n] == NIL -> break
    :: else ->
       m = nxt1[n];
       assert(bnd1[n] >= key[m]);                            /* @bound-upper */
#ifdef REACH_STALE_HIGH
       assert(bnd1[n] == key[m]);                            /* @reach-stale-high */
#endif
       if :: n != HEAD -> assert(key[n] < key[m])            /* @L1-sorted */
          :: else -> skip fi;
       i = nxt0[HEAD];
       do
       :: i == NIL -> assert(false)                          /* @L1-sublist */
       :: i == m -> break
       :: else -> i = nxt0[i]
       od;
       n = m
    od;
    /* the frozen reader: every probe 1..MAXK */
    k = 1;
    do
    :: k <= MAXK ->
       want = (k == 4);
       i = 0;
       do
       :: i < NW -> if :: on0[i] && key[i + 1 + NPRE] == k -> want = 1 :: else -> skip fi; i++
       :: else -> break
       od;
       frozenFind(k, found);
       assert(found == want);                              /* @bound-find */
       k++
    :: else -> break
    od
  }
}

init {
  byte i;
  i = 0;
  do :: i < MAXN -> nxt0[i] = NIL; nxt1[i] = NIL; bnd0[i] = MAXB; bnd1[i] = MAXB; i++
     :: else -> break od;
  key[HEAD] = 0;                           /* head sorts before every key */
  key[1] = 4;                              /* node 4 on both levels, exact bounds */
  nxt0[HEAD] = 1; bnd0[HEAD] = 4;
  nxt1[HEAD] = 1; bnd1[HEAD] = 4;
  atomic {
    run Writer(0, 3);
    run Writer(1, 2);
    run Writer(2, 2);
    run Monitor();
#ifdef ALWAYS
    run Observer();
#endif
  }
}
