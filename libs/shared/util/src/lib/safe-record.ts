/**
 * Maps keyed by request data (filenames, dist-tags, versions, form fields) must not reach `Object.prototype`:
 * `files['constructor']` on a plain object is a function, and `tags['__proto__'] = v` changes the prototype
 * instead of adding a key (protocols §16). These helpers are the one way to read and build such maps.
 */

/** The names a plain object inherits (`constructor`, `toString`, `__proto__`, ...): never usable as keys. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True for a name that collides with a member of `Object.prototype`. */
export const isPrototypeKey = (key: string): boolean => PROTOTYPE_KEYS.has(key);

/** A null-prototype copy of `source` (own enumerable keys only); lookups of absent keys are `undefined`. */
export function safeRecord<V>(source?: Readonly<Record<string, V>> | Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (source === undefined || source === null) return out;
  const entries = Symbol.iterator in Object(source) ? (source as Iterable<readonly [string, V]>) : Object.entries(source as Record<string, V>);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** `record[key]` when `key` is the record's own property, else undefined (never an inherited member). */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}
