/**
 * How many misses in a row this machine overlaps: a walk over 1M nodes of
 * 64 bytes linked in random order, one chain against the same walk with
 * eight chains on the segments ahead (every eighth node links to the eighth
 * after it), in plain JavaScript over one `SharedArrayBuffer`. What a scan of
 * a list larger than the cache can gain from `src/_scan_ahead.ts`, at most.
 *
 * ```sh
 * deno run bench/pointer_chase.ts
 * ```
 *
 * @module
 */

const NODES = 1 << 20;
/** Words per node: 64 bytes, a cache line. */
const NODE_WORDS = 16;
/** Word 0: next node; word 1: 1 on every SEGMENT-th node; word 2: that node's next such node. */
const SEGMENT = 8;

const words = new Int32Array(new SharedArrayBuffer(NODES * NODE_WORDS * 4));
const order = new Int32Array(NODES).map((_, i) => i);
for (let i = NODES - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
for (let k = 0; k < NODES; k++) {
  const node = order[k]! * NODE_WORDS;
  words[node] = k + 1 < NODES ? order[k + 1]! * NODE_WORDS : -1;
  words[node + 1] = k % SEGMENT === 0 ? 1 : 0;
  words[node + 2] = k % SEGMENT === 0 && k + SEGMENT < NODES
    ? order[k + SEGMENT]! * NODE_WORDS
    : -1;
}

function walk(): number {
  let sum = 0;
  for (let node = order[0]! * NODE_WORDS; node >= 0; node = words[node]!) sum += words[node + 3]!;
  return sum;
}

/** The walk, with `lanes` chains moved one node each every SEGMENT steps. */
function walkAhead(lanes: number): number {
  const at = new Int32Array(lanes);
  let frontier = order[0]! * NODE_WORDS;
  for (let lane = 0; lane < lanes; lane++) at[lane] = frontier = words[frontier + 2]!;
  let sum = 0;
  let countdown = SEGMENT;
  for (let node = order[0]! * NODE_WORDS; node >= 0; node = words[node]!) {
    sum += words[node + 3]!;
    if (--countdown !== 0) continue;
    countdown = SEGMENT;
    for (let lane = 0; lane < lanes; lane++) {
      const walker = at[lane]!;
      if (walker < 0) continue;
      const next = words[walker]!;
      if (next >= 0 && words[next + 1] === 1) {
        at[lane] = frontier = frontier >= 0 ? words[frontier + 2]! : -1;
      } else at[lane] = next;
    }
  }
  return sum;
}

const perNode = (ms: number) => `${(ms * 1e6 / NODES).toFixed(1)} ns`;
for (let round = 0; round < 4; round++) {
  let start = performance.now();
  walk();
  const one = performance.now() - start;
  start = performance.now();
  walkAhead(8);
  console.log(
    `one chain ${perNode(one)} a node, eight chains ahead ${perNode(performance.now() - start)}`,
  );
}
