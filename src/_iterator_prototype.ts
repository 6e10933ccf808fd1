/**
 * The prototype `Iter` and `Cursor` inherit from, so that they get the
 * Iterator helpers (`take`, `filter`, `map`, `toArray`, …) wherever the
 * runtime has them, and still load and iterate where it has none.
 *
 * Every runtime since ES2015 has `%IteratorPrototype%`, the object that array,
 * map and generator iterators inherit from; ES2025 names it
 * `Iterator.prototype` and puts the helpers on it. Reaching it through an
 * array iterator rather than the global `Iterator` is what makes one module
 * serve both: Deno and Bun (helpers inherited) and Node 20, which has no
 * global `Iterator` and whose prototype gives only `[Symbol.iterator]()`
 * returning the iterator itself (and a helper polyfill, if the application
 * installs one there, reaches these iterators as it does built-in ones).
 *
 * Why not `class Iter extends Iterator<Entry>`: on Node 20 the bare name
 * throws when the module loads, and any base chosen at load time would be a
 * private symbol in the public class's `extends` clause, which `deno doc
 * --lint` rejects. So the classes extend nothing, re-parent their prototype
 * once when they are defined (before any instance exists, so no object
 * changes shape later) and declare the helpers by merging an interface that
 * extends `IteratorObject`. The helpers only read `next` off the instance:
 * each class's own `next()` stays the one hot path.
 *
 * @module
 */

/** `%IteratorPrototype%`: `Iterator.prototype` where the runtime has the global. */
export const ITERATOR_PROTOTYPE: object = Object.getPrototypeOf(
  Object.getPrototypeOf([][Symbol.iterator]()),
);

/**
 * Makes `prototype` (a class's) inherit from `%IteratorPrototype%`. Called
 * from the class's static block, before any instance is made.
 */
export function inheritIteratorPrototype(prototype: object): void {
  Object.setPrototypeOf(prototype, ITERATOR_PROTOTYPE);
}
