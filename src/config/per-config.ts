/**
 * A value made from the config in force (or from another object a reload replaces, such as the
 * phone book store), made again when a reload replaces it (compared by
 * identity: a reload always brings a new object). Caches use it to be dropped on reload.
 */
export function perConfig<T>(current: () => object, make: () => T): () => T {
  let made: { for: object; value: T } | undefined;
  return () => {
    const config = current();
    if (made?.for !== config) made = { for: config, value: make() };
    return made.value;
  };
}
