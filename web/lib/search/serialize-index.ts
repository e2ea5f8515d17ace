import type MiniSearch from 'minisearch';

/**
 * MiniSearch's JSON, written straight from its index. `JSON.stringify(miniSearch)` first
 * builds an object per term whose keys are document numbers, and V8 gives each such object
 * room for every number up to its largest: saving the index of a 1,000-page book made
 * 400 MB of garbage for 3 MB of JSON, the peak of the app's memory while importing. The text
 * is the same, character for character (tests/unit/serialize-index.test.ts holds it to
 * MiniSearch's own), so MiniSearch.loadJSON reads it as ever. Like top-hits.ts, it reads
 * MiniSearch's index structures, which are not public API (the package is pinned to 7.2.x).
 */

/** About 10 ms of work on this machine. */
const TERMS_BETWEEN_PAUSES = 2000;

interface SerializableState {
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, string>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _storedFields: Map<number, unknown>;
  _dirtCount: number;
  _index: Iterable<[string, Map<number, Map<number, number>>]>;
}

/** An object with integer keys, as JSON.stringify writes one: keys in ascending order. */
function numericKeyed<V>(map: Map<number, V>, value: (v: V) => string): string {
  const keys = [...map.keys()];
  if (keys.some((key, i) => i > 0 && key < keys[i - 1])) keys.sort((a, b) => a - b);
  let json = '{';
  keys.forEach((key, i) => {
    json += `${i > 0 ? ',' : ''}"${key}":${value(map.get(key) as V)}`;
  });
  return `${json}}`;
}

/**
 * `pause`, when given, is awaited every few thousand terms: a large library's index takes
 * seconds to write, and searches are answered in between (they only read the index; the
 * caller keeps anything that changes it waiting until the text is done).
 */
export async function serializeIndex<T>(index: MiniSearch<T>, pause?: () => Promise<void>): Promise<string> {
  // Why the cast: see the module comment; SerializableState names what is read.
  const mini = index as unknown as SerializableState;
  const parts: string[] = [
    `{"documentCount":${mini._documentCount},"nextId":${mini._nextId},` +
      `"documentIds":${numericKeyed(mini._documentIds, (id) => JSON.stringify(id))},` +
      `"fieldIds":${JSON.stringify(mini._fieldIds)},` +
      `"fieldLength":${numericKeyed(mini._fieldLength, (lengths) => JSON.stringify(lengths))},` +
      `"averageFieldLength":${JSON.stringify(mini._avgFieldLength)},` +
      `"storedFields":${numericKeyed(mini._storedFields, (fields) => JSON.stringify(fields))},` +
      `"dirtCount":${mini._dirtCount},"index":[`,
  ];
  let first = true;
  let sincePause = 0;
  for (const [term, fields] of mini._index) {
    const data = numericKeyed(fields, (freqs) => numericKeyed(freqs, String));
    parts.push(`${first ? '' : ','}[${JSON.stringify(term)},${data}]`);
    first = false;
    if (pause && ++sincePause >= TERMS_BETWEEN_PAUSES) {
      sincePause = 0;
      await pause();
    }
  }
  parts.push('],"serializationVersion":2}');
  return parts.join('');
}
