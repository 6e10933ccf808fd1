/*
 * growth.pml -- a record another agent grew the arena for is covered by the
 * views of the agent that follows a link to it.
 *
 * Real code modelled: Arena.allocate / Arena.#grow / Arena.cover /
 * Arena.refresh (src/_arena.ts) over a shared WebAssembly.Memory
 * (currentBuffer and grow in src/_backing.ts).  A writer bumps the
 * allocation pointer, grows the memory when the record ends past it, writes
 * the record, then publishes it with a CAS on a link.  The memory's length
 * is one word every agent shares; but each agent reads it through the
 * buffer it holds (`memory.buffer`), which V8 replaces with a longer one
 * only when that agent handles an interrupt the growth sent it, at some
 * later moment.  A reader that follows the link and finds the record past
 * its views refreshes them: with `grow(0)`, which reads the shared length
 * and refreshes the buffer, or (the bad variant) with `memory.buffer` alone.
 *
 * Processes:
 *   writer (x2)  allocates a record of one page, grows the memory to hold it
 *                (the growing agent's own buffer follows at once; the
 *                reader's gets an interrupt), writes it, publishes it;
 *   reader       follows each published link, covers the record, reads it;
 *   interrupt    delivers a pending growth to the reader at any moment.
 *
 * Assertion:
 *   @covered   a record reached through a link lies within the reader's views
 *
 * Known-bad variant (must fail on @covered):
 *   CACHED_REFRESH  refresh takes `memory.buffer` as it is (no grow(0))
 * Reachability (must fail on its own tag, proving the stale path is explored):
 *   REACH_STALE     the reader reaches a record while its buffer lags the memory
 */

byte mem_len = 1;      /* pages of the memory, shared by every agent */
byte alloc = 1;        /* first free page: the bump pointer */
byte reader_len = 1;   /* pages of the buffer the reader holds */
bit pending = 0;       /* a growth not yet delivered to the reader */
byte link[2];          /* link[i]: end page of writer i's record once published, else 0 */
bit written[4];        /* page p of a record holds its contents */

proctype writer(byte i) {
  byte start, end;
  /* allocate one page: CAS on the bump pointer */
  atomic { start = alloc; alloc = alloc + 1 };
  end = start + 1;
  /* grow: the shared length first, then interrupts to the other agents */
  atomic {
    if
    :: mem_len < end -> mem_len = end; pending = 1
    :: else -> skip
    fi
  };
  written[start] = 1;          /* private writes of the record */
  link[i] = end                /* the publishing CAS */
}

active proctype interrupt() {
end:
  do
  :: atomic { pending == 1 -> reader_len = mem_len; pending = 0 }
  od
}

active proctype reader() {
  byte i, end;
  for (i : 0 .. 1) {
    link[i] != 0;              /* Atomics.load of the link sees the record */
    end = link[i];
#ifdef REACH_STALE
    assert(reader_len >= mem_len);             /* @reach-stale */
#endif
    /* cover(end): refresh when the record ends past the views */
    if
    :: end > reader_len ->
#ifdef CACHED_REFRESH
       skip                    /* memory.buffer: whatever this agent holds */
#else
       reader_len = mem_len   /* grow(0) reads the shared length, refreshes the buffer */
#endif
    :: else -> skip
    fi;
    assert(end <= reader_len && written[end - 1]);   /* @covered */
  }
}

init {
  atomic { run writer(0); run writer(1) }
}
