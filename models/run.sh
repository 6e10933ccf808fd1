#!/usr/bin/env bash
# Model-checks fastskip's concurrency protocols with spin (Debian package
# `spin`, plus gcc): every reference model must verify, every known-bad
# variant must fail, and fail on the assertion it is meant to break.
#
# Usage: bash models/run.sh [--full]     (works from any directory)
#   --full  adds the larger configurations (skl_insert's reader also races
#           the same-key writers; link_bounds checked at every instant, and
#           its two variants that pass); the default set takes ~40 s of CPU
#           time, --full adds ~30 s.
#
# One line per check:  model  defines  expect=  got=  states=  assert=
#   assert= is the @tag written next to the violated assertion in the
#   model (found by replaying the trail), or the pan error text if the
#   failure is not an assertion (e.g. an invalid end state).
# Last line: "models: N passed, M failed" (a check passes when its result
# and, for expected failures, its violated assertion match the
# expectation).  Exit status is non-zero if any check failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
command -v spin >/dev/null || { echo "spin not found (apt-get install spin)" >&2; exit 2; }
passed=0; failed=0

# check MODEL "DEFINES" pass|fail [TAG-REGEX]
check() {
  local model="$1" defs="$2" expect="$3" want="${4:-}"
  rm -f pan pan.* ./*.trail
  cp "$here/$model" .
  local got=error states=- why=- out
  # Known-bad variants fail within a few thousand states: compile them
  # without optimisation (compiling dominates their run time).  So do
  # references whose whole search is small: OPT=-O0 check ...  The others
  # get -O1: on the 2e6-4e6-state searches here it runs as fast as -O2
  # and compiles in half the time.
  # They also get a 2^18-slot hash table instead of pan's 2^24 (128 MB to
  # allocate per run; the size changes no result, only the speed).
  local opt="${OPT:--O1}" hash=""
  [ "$expect" = fail ] && { opt=-O0; hash=-w18; }
  # shellcheck disable=SC2086
  if spin -a $defs "$model" >spin.log 2>&1 &&
     gcc $opt -DSAFETY -o pan pan.c >gcc.log 2>&1; then
    # shellcheck disable=SC2086
    out="$(./pan -m200000 $hash 2>&1 || true)"
    local errs; errs="$(grep -oE 'errors: [0-9]+' <<<"$out" | head -1 | awk '{print $2}')"
    states="$(grep -E 'states, stored' <<<"$out" | awk '{print $1}')"
    if grep -q 'max search depth too small' <<<"$out"; then
      got=error; why=depth-bound-hit          # a truncated search proves nothing
    elif [ "${errs:-}" = 0 ]; then
      got=pass
    elif [ -n "${errs:-}" ]; then
      got=fail
      why="$(grep -m1 -oE '^pan:1: .*\(at depth' <<<"$out" | sed -E 's/^pan:1: //; s/ \(at depth$//; s/ \(.*$//')"
      if [ -f "$model.trail" ]; then
        local line
        # shellcheck disable=SC2086
        line="$(spin -t $defs "$model" 2>&1 | grep -m1 -oE "^spin: [^ ]*:[0-9]+, Error: assertion violated" | sed -E 's/^spin: [^ ]*:([0-9]+),.*/\1/' || true)"
        if [ -n "$line" ]; then
          why="$(sed -n "${line}p" "$model" | grep -oE '@[A-Za-z0-9_-]+' | head -1 || true)"
          why="${why:-line $line}"
        fi
      fi
    fi
  else
    why=build-error
  fi
  local verdict=ok
  if [ "$got" != "$expect" ]; then verdict=MISMATCH
  elif [ "$expect" = fail ] && [ -n "$want" ] && ! grep -qxE "@($want)" <<<"$why"; then
    verdict=MISMATCH
  fi
  printf '%-15s %-38s expect=%-4s got=%-5s states=%-9s assert=%s%s\n' \
    "$model" "${defs:-(reference)}" "$expect" "$got" "$states" "$why" \
    "$([ "$verdict" = ok ] || echo "   <-- MISMATCH${want:+ (wanted @$want)}")"
  if [ "$verdict" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# skip-list link protocol (insert)
check skl_insert.pml "" pass
check skl_insert.pml "-DFASTSKIP_UPPER" fail L1-sorted
check skl_insert.pml "-DNO_RESEARCH" fail L0-sorted
# commit stamps with helping, put/delete versions, get and snapshot
check versions.pml "" pass
check versions.pml "-DPRESENT" pass
check versions.pml "-DNO_HEAD_RESOLVE" fail chain-order
check versions.pml "-DNO_HEAD_RESOLVE -DREADERS_ONLY" fail snap-max
check versions.pml "-DSTAMP_BEFORE_LINK" fail stable
# seal handshake
OPT=-O0 check seal.pml "" pass                  # ~5e4 states
OPT=-O0 check seal.pml "-DSHARED" pass          # ~1e6 states
check seal.pml "-DCHECK_BEFORE_ANNOUNCE" fail ok-frozen
check seal.pml "-DNO_WAIT" fail ok-frozen
# buffer reuse: release, recycle, attach with a generation check
OPT=-O0 check reuse.pml "" pass                 # ~2e4 states
OPT=-O0 check reuse.pml "-DTWO_RECYCLERS" pass  # ~2e5 states
check reuse.pml "-DREACH_ATTACH_RECYCLE" fail reach-attach-recycle
check reuse.pml "-DREACH_ABA" fail reach-aba
check reuse.pml "-DREACH_RELEASE_RACE" fail reach-release-race
check reuse.pml "-DATTACH_CHECK_FIRST" fail stale-read
check reuse.pml "-DPUBLISH_BEFORE_BUMP" fail stale-read
check reuse.pml "-DINCREMENT_BLIND" fail refs-end
# a list is private to its maker until share()
OPT=-O0 check shared.pml "" pass
OPT=-O0 check shared.pml "-DSHARE" pass
check shared.pml "-DSHARE -DREACH_SHARED_WRITE" fail reach-shared-write
check shared.pml "-DNO_SHARED_CHECK" fail private-read
check shared.pml "-DNO_RESET_ON_REUSE" fail private-read
# a record another agent grew the memory for is covered by the reader's views
OPT=-O0 check growth.pml "" pass
check growth.pml "-DREACH_STALE" fail reach-stale
check growth.pml "-DCACHED_REFRESH" fail covered
# successor-prefix bounds next to the links (format 4): writer stores,
# kills, frozen lookups that trust the bounds
check link_bounds.pml "" pass                   # ~2.4e6 states
check link_bounds.pml "-DNO_KILLS -DREACH_STALE_HIGH" fail reach-stale-high
check link_bounds.pml "-DBOUND_BEFORE_CAS" fail bound-upper
check link_bounds.pml "-DFORWARD_ON_STALE" fail bound-find
check link_bounds.pml "-DSTOP_ON_BOUND" fail bound-find
check link_bounds.pml "-DNO_KILLS -DSTOP_ON_BOUND" fail bound-find
if [ "${1:-}" = "--full" ]; then
  # the reader also races the same-key writers (~8e6 states, ~1 GB, ~10 s)
  check skl_insert.pml "-DREADER_ANY_KEY" pass
  # the bound invariant in every reachable state (~5e6 states, ~0.8 GB),
  # and a variant that breaks it only while a writer runs
  check link_bounds.pml "-DALWAYS" pass
  check link_bounds.pml "-DALWAYS -DNO_KILLS -DBOUND_BEFORE_CAS" fail bound-always
  # variants that pass: a bound stored before the CAS is only wrong if the
  # writer is killed; a copied bound is loose but still an upper bound
  # (~7e6 states, ~1 GB)
  check link_bounds.pml "-DNO_KILLS -DBOUND_BEFORE_CAS" pass
  check link_bounds.pml "-DCOPY_PRED_BOUND" pass
fi

echo "models: $passed passed, $failed failed"
[ "$failed" = 0 ]
