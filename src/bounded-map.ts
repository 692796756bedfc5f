/**
 * Sets `key` as the newest entry of `map`, first dropping the oldest entry when the map already
 * contains `maxSize` entries. A Map iterates in insertion order, so its first key is the oldest.
 * Deleting `key` before setting it moves it to the end. The per-isolate caches use this to bound memory.
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, maxSize: number): void {
  map.delete(key)
  if (map.size >= maxSize) {
    const oldest = map.keys().next()
    if (!oldest.done) map.delete(oldest.value)
  }
  map.set(key, value)
}
