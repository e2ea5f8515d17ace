/**
 * Tables of contents and back-of-book indexes name every section, each with its page: they
 * match almost any query, often better than the pages they point to, and answer nothing. In
 * a real manual, "asn1_read_value" found the index before the pages of the function.
 * They are told by their dot leaders ("Introduction . . . . . 3", "asn1_perror . . . 22"),
 * which prose, tables of figures and ellipses do not line up several times in one passage. A
 * list of items with whole numbers set the same way (a parts list) is taken for one too.
 */

/**
 * Four dots or more, spaced or not (also middle dots), then a page number: a whole number,
 * not an amount ("12,345", "2.50") of a statement or a menu set with leaders. A run is matched
 * from its first dot only, so a long run of dots costs one pass, not one per dot.
 */
const LEADER_ENTRY = /(?<![.·]\s?)(?:[.·]\s?){4,}\s*\d{1,4}(?![\d.,:]?\d)/g;
/** Fewer entries than this in a passage are taken for chance (an ellipsis before a number). */
const MIN_ENTRIES = 3;
/** An entry's leader and page number are about half of it, its title the rest. */
const ENTRY_PER_LEADER = 2;
/** The weight of a passage that is all listing: low enough that the pages it lists come first. */
export const LISTING_WEIGHT = 0.25;

/** The part of a text (0 to 1) that contents or index entries take: 0 for prose. */
export function listingShare(text: string): number {
  let entries = 0;
  let leaderChars = 0;
  for (const [leader] of text.matchAll(LEADER_ENTRY)) {
    entries++;
    leaderChars += leader.length;
  }
  if (entries < MIN_ENTRIES) return 0;
  return Math.min(1, (leaderChars * ENTRY_PER_LEADER) / text.length);
}

/**
 * What a passage's score is multiplied by: 1 for prose, down to LISTING_WEIGHT for a passage
 * that is all contents or index entries, in proportion to the part of it they take.
 */
export function listingWeight(text: string): number {
  return 1 - listingShare(text) * (1 - LISTING_WEIGHT);
}
