import { parseDateText, parseJsDateString, parseRfc2822Date } from './parse-date';
import { emptyProvenance, mergeProvenance, type Provenance, type ProvenanceSource } from './provenance';

/**
 * Provenance of a saved web page. The tool that saved the page (the browser's "saved from"
 * comment, SingleFile's comment, an MHTML file's headers) knows where and when it was saved;
 * the page's own tags (canonical link, og:url, dates) are the site's claims about itself, used
 * when the saving tool left nothing. A page's publication date is kept apart: it says when
 * the page was written, not when it was saved.
 */

function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(url);
}

function one(field: 'sourceUrl' | 'savedAt' | 'publishedAt', value: string | number | undefined, source: ProvenanceSource): Provenance {
  const provenance = emptyProvenance();
  if (value === undefined || value === '') return provenance;
  if (field === 'sourceUrl' && typeof value === 'string') provenance.sourceUrl = value;
  else if (field !== 'sourceUrl' && typeof value === 'number') provenance[field] = value;
  else return provenance;
  provenance.evidence[field] = source;
  return provenance;
}

/**
 * The "Mark of the Web" that Internet Explorer and Chrome write into pages saved as HTML:
 * `<!-- saved from url=(0042)https://example.org/… -->`. The number is the address's length.
 */
export function parseSavedFromComment(comment: string): string | undefined {
  const match = /^\s*saved from url=\((\d{4})\)(\S+)/i.exec(comment);
  if (!match) return undefined;
  const length = Number.parseInt(match[1], 10);
  const url = length > 0 && length <= match[2].length ? match[2].slice(0, length) : match[2];
  return isWebUrl(url) ? url : undefined;
}

/** SingleFile's comment: "Page saved with SingleFile \n url: … \n saved date: …". */
export function parseSingleFileComment(comment: string): { url?: string; savedAt?: number } | undefined {
  if (!/^\s*(Page saved with SingleFile|Archive processed by SingleFile)/.test(comment)) return undefined;
  const url = /^\s*url:\s*(\S+)\s*$/m.exec(comment)?.[1];
  const date = /^\s*saved date:\s*(.+?)\s*$/m.exec(comment)?.[1];
  const savedAt = date === undefined ? undefined : (parseJsDateString(date) ?? parseDateText(date));
  return { url: url && isWebUrl(url) ? url : undefined, savedAt };
}

/** Comments a saving tool writes: before <html>, right after it, and in <head>; never the page's own. */
function toolComments(doc: Document): string[] {
  const places: (Node | null)[] = [doc, doc.documentElement, doc.head];
  const comments: string[] = [];
  for (const place of places) {
    for (const node of Array.from(place?.childNodes ?? [])) {
      if (node.nodeType === 8) comments.push((node as Comment).data);
    }
  }
  return comments;
}

/** The provenance that the tool that saved the page recorded in comments. */
export function provenanceFromSaveComments(doc: Document): Provenance {
  const found: Provenance[] = [];
  for (const comment of toolComments(doc)) {
    const singleFile = parseSingleFileComment(comment);
    if (singleFile) {
      found.push(mergeProvenance(one('sourceUrl', singleFile.url, 'singlefile-comment'), one('savedAt', singleFile.savedAt, 'singlefile-comment')));
      continue;
    }
    const savedFrom = parseSavedFromComment(comment);
    if (savedFrom) found.push(one('sourceUrl', savedFrom, 'saved-from-comment'));
  }
  return mergeProvenance(...found);
}

function metaContent(doc: Document, names: string[]): string | undefined {
  for (const name of names) {
    // Sites mix up name= and property= for Open Graph and Twitter tags: accept either.
    for (const attribute of ['property', 'name', 'itemprop']) {
      const content = doc.querySelector(`meta[${attribute}="${name}" i][content]`)?.getAttribute('content')?.trim();
      if (content) return content;
    }
  }
  return undefined;
}

/** An absolute web address from a tag's value, resolved against `base` when it is relative. */
function absoluteUrl(value: string | undefined | null, base: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = base ? new URL(value.trim(), base).href : new URL(value.trim()).href;
    return isWebUrl(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

const PUBLISHED_META = ['article:published_time', 'og:published_time', 'datePublished', 'date', 'dcterms.date', 'dcterms.created', 'dc.date', 'dc.date.issued', 'citation_publication_date', 'citation_date', 'parsely-pub-date', 'sailthru.date', 'pubdate', 'publish-date'];
const MODIFIED_META = ['article:modified_time', 'og:updated_time', 'dateModified', 'dcterms.modified', 'last-modified'];

/** The page's own claims: canonical link, og:url, twitter:url, and its publication date. */
export function provenanceFromPageTags(doc: Document, base?: string): Provenance {
  const canonical = absoluteUrl(doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href'), base);
  const ogUrl = absoluteUrl(metaContent(doc, ['og:url']), base);
  const twitterUrl = absoluteUrl(metaContent(doc, ['twitter:url']), base);
  const published = metaContent(doc, PUBLISHED_META) ?? doc.querySelector('time[pubdate][datetime]')?.getAttribute('datetime') ?? undefined;
  // A page that gives only its modification date was at least published by then.
  const modified = metaContent(doc, MODIFIED_META);
  const publishedAt = (published && parseDateText(published)) || (modified && parseDateText(modified)) || undefined;
  return mergeProvenance(
    one('sourceUrl', canonical, 'canonical-link'),
    one('sourceUrl', ogUrl, 'og-url'),
    one('sourceUrl', twitterUrl, 'twitter-url'),
    one('publishedAt', publishedAt, 'html-meta'),
  );
}

/**
 * Save Page WE writes where and when it saved the page into meta tags of its own:
 * savepage-url, savepage-date ("Thu Mar 14 2024 01:03:06 GMT+0200 (…)") and savepage-pubdate
 * (the page's date as it found it, or "Unknown").
 */
export function provenanceFromSavePageMeta(doc: Document): Provenance {
  const content = (name: string) => doc.querySelector(`meta[name="${name}" i][content]`)?.getAttribute('content')?.trim() || undefined;
  const url = content('savepage-url');
  const date = content('savepage-date');
  const published = content('savepage-pubdate');
  return mergeProvenance(
    one('sourceUrl', url && isWebUrl(url) ? url : undefined, 'savepage-meta'),
    one('savedAt', date === undefined ? undefined : (parseJsDateString(date) ?? parseDateText(date)), 'savepage-meta'),
    one('publishedAt', published === undefined ? undefined : parseDateText(published), 'savepage-meta'),
  );
}

/**
 * Everything a parsed HTML page says about its provenance, the saving tool first.
 * `mhtml` holds the headers of the MHTML file the page came from, if any.
 */
export function provenanceFromHtml(doc: Document, mhtml?: MhtmlHeaders): Provenance {
  const fromHeaders = mhtml ? provenanceFromMhtmlHeaders(mhtml) : emptyProvenance();
  const fromTools = mergeProvenance(provenanceFromSaveComments(doc), provenanceFromSavePageMeta(doc));
  const base = fromHeaders.sourceUrl ?? fromTools.sourceUrl;
  return mergeProvenance(fromHeaders, fromTools, provenanceFromPageTags(doc, base));
}

/** Header names in lower case, values unfolded and decoded. */
export type MhtmlHeaders = ReadonlyMap<string, string>;

/**
 * Chrome's "Webpage, Single File" (.mhtml) records the address in Snapshot-Content-Location
 * and the moment of saving in Date; older tools give only the main part's Content-Location.
 */
export function provenanceFromMhtmlHeaders(headers: MhtmlHeaders): Provenance {
  const location = headers.get('snapshot-content-location') ?? headers.get('content-location');
  const date = headers.get('date');
  const savedAt = date === undefined ? undefined : (parseRfc2822Date(date) ?? parseDateText(date));
  return mergeProvenance(
    one('sourceUrl', location && isWebUrl(location) ? location.trim() : undefined, 'mhtml-headers'),
    one('savedAt', savedAt, 'mhtml-headers'),
  );
}
