// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  parseSavedFromComment,
  parseSingleFileComment,
  provenanceFromHtml,
  provenanceFromMhtmlHeaders,
  provenanceFromPageTags,
} from '../../web/lib/provenance/html-provenance';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

/** The "Mark of the Web" comment, with the address length Chrome and IE write before it. */
const markOfTheWeb = (url: string) => `<!-- saved from url=(${String(url.length).padStart(4, '0')})${url} -->`;

const SINGLE_FILE_COMMENT = `<!--
 Page saved with SingleFile 
 url: https://breadlab.example/guides/starters 
 saved date: Sun Mar 03 2024 22:40:12 GMT+0100 (Central European Standard Time)
-->`;

describe('comments left by the tool that saved the page', () => {
  it('reads the "saved from" comment, trusting its length prefix', () => {
    expect(parseSavedFromComment(' saved from url=(0043)https://www.example.org/articles/tide-pools ')).toBe('https://www.example.org/articles/tide-pools');
    expect(parseSavedFromComment(' saved from url=(0019)https://example.org/-->junk')).toBe('https://example.org');
    expect(parseSavedFromComment(' saved from url=(0014)about:internet ')).toBeUndefined();
    expect(parseSavedFromComment(' a comment about being saved ')).toBeUndefined();
  });

  it("reads SingleFile's comment: the address and the moment it was saved", () => {
    const comment = SINGLE_FILE_COMMENT.slice(4, -3);
    expect(parseSingleFileComment(comment)).toEqual({ url: 'https://breadlab.example/guides/starters', savedAt: Date.UTC(2024, 2, 3, 21, 40, 12) });
    expect(parseSingleFileComment(' Page saved with SingleFile \n url: about:blank \n')).toEqual({ url: undefined, savedAt: undefined });
    expect(parseSingleFileComment(' something else ')).toBeUndefined();
  });

  it('finds a Chrome "Webpage, HTML only" page\'s comment before <html>', () => {
    const url = 'https://www.example.org/articles/tide-pools?utm_source=feed';
    const doc = parse(`<!DOCTYPE html>\n${markOfTheWeb(url)}\n<html lang="en"><head><title>Tides</title></head><body><p>Tide pools.</p></body></html>`);
    expect(provenanceFromHtml(doc)).toEqual({ sourceUrl: url, evidence: { sourceUrl: 'saved-from-comment' } });
  });

  it('finds SingleFile\'s comment right after <html>', () => {
    const doc = parse(`<!DOCTYPE html> <html lang="en">${SINGLE_FILE_COMMENT}<meta charset="utf-8"><title>Starters</title><body><p>Flour and water.</p></body></html>`);
    expect(provenanceFromHtml(doc)).toEqual({
      sourceUrl: 'https://breadlab.example/guides/starters',
      savedAt: Date.UTC(2024, 2, 3, 21, 40, 12),
      evidence: { sourceUrl: 'singlefile-comment', savedAt: 'singlefile-comment' },
    });
  });

  it("ignores such comments in the page's own body", () => {
    const doc = parse(`<html><head><title>x</title></head><body><p>text</p>${markOfTheWeb('https://elsewhere.example/')}</body></html>`);
    expect(provenanceFromHtml(doc).sourceUrl).toBeUndefined();
  });
});

describe("the page's own tags", () => {
  it('reads the canonical link first, then og:url, then twitter:url', () => {
    const head = `
      <meta name="twitter:url" content="https://example.org/t">
      <meta property="og:url" content="https://example.org/og">
      <link rel="canonical" href="https://example.org/canonical">`;
    expect(provenanceFromPageTags(parse(head))).toEqual({ sourceUrl: 'https://example.org/canonical', evidence: { sourceUrl: 'canonical-link' } });
    expect(provenanceFromPageTags(parse(head.replace(/<link[^>]+>/, ''))).evidence.sourceUrl).toBe('og-url');
    expect(provenanceFromPageTags(parse('<meta property="twitter:url" content="https://example.org/t">'))).toMatchObject({
      sourceUrl: 'https://example.org/t',
      evidence: { sourceUrl: 'twitter-url' },
    });
  });

  it('resolves a relative canonical link against the saved-from address, and drops it without one', () => {
    const page = `<!DOCTYPE html>${markOfTheWeb('https://example.org/a/b?c=1')}<html><head><link rel="canonical" href="/a/b"></head><body></body></html>`;
    expect(provenanceFromPageTags(parse(page), 'https://example.org/a/b?c=1').sourceUrl).toBe('https://example.org/a/b');
    expect(provenanceFromPageTags(parse('<link rel="canonical" href="/a/b">')).sourceUrl).toBeUndefined();
  });

  it('keeps the publication date apart from the date saved', () => {
    const doc = parse(`<head>
      <meta property="article:published_time" content="2023-06-01T08:00:00+00:00">
      <meta property="og:updated_time" content="2024-01-05T08:00:00+00:00"></head>`);
    const provenance = provenanceFromPageTags(doc);
    expect(provenance).toEqual({ publishedAt: Date.UTC(2023, 5, 1, 8), evidence: { publishedAt: 'html-meta' } });
    expect(provenance.savedAt).toBeUndefined();
  });

  it.each([
    ['<meta name="date" content="2023-06-01">'],
    ['<meta name="DC.date" content="2023-06-01">'],
    ['<meta name="dcterms.date" content="2023-06-01">'],
    ['<meta name="citation_publication_date" content="2023-06-01">'],
    ['<meta itemprop="datePublished" content="2023-06-01">'],
    ['<meta property="og:updated_time" content="2023-06-01">'],
  ])('reads the date in %s', (tag) => {
    expect(provenanceFromPageTags(parse(tag)).publishedAt).toBe(new Date(2023, 5, 1).getTime());
  });

  it("reads Save Page WE's meta tags as the saving tool's record", () => {
    const doc = parse(`<html><head><meta charset="UTF-8"><link rel="canonical" href="https://cdn.example/amp/otters">
<meta name="savepage-url" content="https://otters.example/guides/river-otters">
<meta name="savepage-title" content="River otters">
<meta name="savepage-pubdate" content="Unknown">
<meta name="savepage-from" content="https://otters.example/guides/river-otters">
<meta name="savepage-date" content="Thu Mar 14 2024 01:03:06 GMT+0200 (Eastern European Standard Time)">
</head><body><p>Otters.</p></body></html>`);
    expect(provenanceFromHtml(doc)).toEqual({
      sourceUrl: 'https://otters.example/guides/river-otters',
      savedAt: Date.UTC(2024, 2, 13, 23, 3, 6),
      evidence: { sourceUrl: 'savepage-meta', savedAt: 'savepage-meta' },
    });
    const dated = parse('<head><meta name="savepage-pubdate" content="2023-06-01"><meta name="savepage-url" content="javascript:alert(1)"></head>');
    expect(provenanceFromHtml(dated)).toEqual({ publishedAt: new Date(2023, 5, 1).getTime(), evidence: { publishedAt: 'savepage-meta' } });
  });

  it('lets the saving tool win over the page', () => {
    const doc = parse(`<html>${SINGLE_FILE_COMMENT}<head><link rel="canonical" href="https://breadlab.example/starters"><meta name="date" content="2022-01-01"></head></html>`);
    expect(provenanceFromHtml(doc)).toEqual({
      sourceUrl: 'https://breadlab.example/guides/starters',
      savedAt: Date.UTC(2024, 2, 3, 21, 40, 12),
      publishedAt: new Date(2022, 0, 1).getTime(),
      evidence: { sourceUrl: 'singlefile-comment', savedAt: 'singlefile-comment', publishedAt: 'html-meta' },
    });
  });
});

describe('MHTML headers', () => {
  it('reads Snapshot-Content-Location and Date, as Chrome writes them', () => {
    const headers = new Map([
      ['from', '<Saved by Blink>'],
      ['snapshot-content-location', 'https://www.example.org/articles/tide-pools'],
      ['subject', 'How Tide Pools Work'],
      ['date', 'Sun, 3 Mar 2024 09:15:32 -0000'],
    ]);
    expect(provenanceFromMhtmlHeaders(headers)).toEqual({
      sourceUrl: 'https://www.example.org/articles/tide-pools',
      savedAt: Date.UTC(2024, 2, 3, 9, 15, 32),
      evidence: { sourceUrl: 'mhtml-headers', savedAt: 'mhtml-headers' },
    });
  });

  it("falls back to the page part's Content-Location", () => {
    expect(provenanceFromMhtmlHeaders(new Map([['content-location', 'https://example.org/']])).sourceUrl).toBe('https://example.org/');
    expect(provenanceFromMhtmlHeaders(new Map([['content-location', 'cid:frame-1@mhtml.blink']])).sourceUrl).toBeUndefined();
  });
});
