/**
 * abstract-level's base classes and options under local, internal names.
 *
 * `deno doc --lint` (Deno 2.9) reports a public class that extends a class
 * of an npm package as referencing a private type (denoland/deno#27364);
 * extending these internal stand-ins instead keeps the lint meaningful for
 * the rest of the module. They add nothing but the one constructor argument
 * the snapshot's type declarations forgot.
 *
 * @module
 */

import { AbstractLevel, AbstractSnapshot } from "abstract-level";
import type { AbstractDatabaseOptions } from "abstract-level";

/**
 * abstract-level's `AbstractLevel` with `view` (`Uint8Array`) as the stored format.
 *
 * @internal
 */
export class LevelBase<KDefault, VDefault> extends AbstractLevel<Uint8Array, KDefault, VDefault> {}

/** The constructor `AbstractSnapshot` has in JavaScript: subclasses pass `{ owner }`. */
interface SnapshotConstructor {
  new (options: { owner: unknown }): AbstractSnapshot;
}

/** `AbstractSnapshot` typed with that constructor (its declarations omit the argument). */
const SnapshotWithOwner: SnapshotConstructor = AbstractSnapshot as unknown as SnapshotConstructor;

/**
 * abstract-level's `AbstractSnapshot`, with the `{ owner }` argument its
 * JavaScript constructor takes and its type declarations omit.
 *
 * @internal
 */
export class SnapshotBase extends SnapshotWithOwner {}

/**
 * abstract-level's database options (`keyEncoding`, `valueEncoding`, …).
 *
 * @internal
 */
export type LevelOptions<K, V> = AbstractDatabaseOptions<K, V>;
