/**
 * # fastskip/level
 *
 * {@link FastskipLevel}: an [abstract-level](https://github.com/Level/abstract-level)
 * store on a fastskip `ConcurrentSkipList`, a drop-in for memory-level
 * that several workers can share. It passes abstract-level's own test suite
 * with memory-level's manifest (implicit and explicit snapshots, `seek`,
 * `getSync`, `has`, `clear` with ranges, every encoding).
 *
 * This entry point depends on `npm:abstract-level`; the core (`mod.ts`)
 * has no dependencies.
 *
 * @example
 * ```ts
 * import { FastskipLevel } from "@fastskip/fastskip/level";
 * import assert from "node:assert/strict";
 *
 * const db = new FastskipLevel<string, { name: string }>({ valueEncoding: "json" });
 * await db.put("user:1", { name: "ada" });
 * await db.put("user:2", { name: "grace" });
 * const names = [];
 * for await (const [, user] of db.iterator({ gte: "user:", lt: "user;" })) names.push(user.name);
 * assert.deepEqual(names, ["ada", "grace"]);
 * await db.close();
 * ```
 *
 * @module
 */

export { FastskipLevel } from "./level/fastskip_level.ts";
export type { FastskipLevelOptions } from "./level/options.ts";
export { FastskipSnapshot } from "./level/snapshot.ts";
export type { SkipListHandle, SkipListOptions } from "./mod.ts";
