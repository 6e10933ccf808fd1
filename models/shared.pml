/*
 * shared.pml -- a list is private to its maker until share() (invariant 8).
 *
 * Real code modelled: ListCore.live / ListCore.share (src/_core.ts), the
 * SHARED check of Arena.attach (src/_arena.ts), and the reset of SHARED when
 * a released buffer is reused (Arena.create).  The maker of a list reads its
 * links with plain loads (LocalLinks) until share() switches it to Atomics
 * and stores SHARED = 1; attach() takes a reference, then loads SHARED and
 * backs out while it is 0.  A plain read racing with another agent's write
 * is a data race (no ordering in the ECMAScript memory model), so the
 * property is: no other agent ever writes the list while its maker is in a
 * plain read.
 *
 * Processes:
 *   maker     makes the list (SHARED = 0), reads it in private mode (each
 *             read a region: local_read = 1 .. 0), then, with SHARE, calls
 *             share(): switch to atomic reads, then store SHARED = 1; then
 *             reads again (atomic reads race with nobody's correctness);
 *   forger    attaches the buffer with a handle it made itself (from a
 *             returned view's buffer) at any moment: loads SHARED, and if 1
 *             writes the list.
 * The buffer starts as a reused one, whose previous list had been shared
 * (SHARED = 1 before the maker's create resets it).
 *
 * Assertion:
 *   @private-read   no write by another agent while the maker is in a plain read
 *
 * Known-bad variants (must fail on @private-read):
 *   NO_SHARED_CHECK    attach does not look at SHARED
 *   NO_RESET_ON_REUSE  create keeps the SHARED of the buffer's previous list
 * Reachability (must fail on its own tag, proving the paths are explored):
 *   REACH_SHARED_WRITE the forger writes after share() (@reach-shared-write)
 */

bit SHARED = 1;        /* the reused buffer's previous list was shared */
bit created = 0;       /* the maker has (re)initialised the buffer */
bit local_read = 0;    /* the maker is inside a plain read */
bit atomic_mode = 0;   /* the maker reads with Atomics */
bit forger_wrote = 0;

active proctype maker() {
  /* create: rewrite the control block, SHARED included, then publish */
#ifndef NO_RESET_ON_REUSE
  SHARED = 0;
#endif
  created = 1;
  /* two reads in private mode */
  local_read = 1; local_read = 0;
  local_read = 1; local_read = 0;
#ifdef SHARE
  /* share(): switch first, then let attaches in */
  atomic_mode = 1;
  SHARED = 1;
  /* reads after share() are atomic: no plain-read region */
#endif
}

active proctype forger() {
  created == 1;          /* it got the buffer from a view the list returned */
#ifndef NO_SHARED_CHECK
  if
  :: SHARED == 1 -> skip /* Atomics.load(SHARED) after taking a reference */
  :: else -> goto refused
  fi;
#endif
  /* it writes: a CAS on a link, say */
  assert(local_read == 0);                  /* @private-read */
  forger_wrote = 1;
#ifdef REACH_SHARED_WRITE
  assert(atomic_mode == 0);                 /* @reach-shared-write */
#endif
refused:
  skip
}
