import { describe, expect, it } from 'vitest';
import { decodePunycode, describeProvenance, describePublished, linkableUrl, siteOf } from '../../web/lib/provenance/site';
import { dateFromFileName, mergeProvenance, withFileDate, type Provenance } from '../../web/lib/provenance/provenance';

describe('siteOf', () => {
  it.each([
    ['https://www.example.org/articles/tides?utm_source=x', 'example.org'],
    ['http://EXAMPLE.org:8080/', 'example.org'],
    ['https://blog.example.co.uk/post', 'blog.example.co.uk'],
    ['https://www.com/', 'www.com'],
    ['example.org/some/page', 'example.org'],
    ['https://xn--bcher-kva.example/', 'bücher.example'],
    ['https://www.xn--mnchen-3ya.de/stadt', 'münchen.de'],
    ['https://xn--fiqs8s.xn--fiqz9s/', '中国.中國'],
    ['file:///home/me/page.html', ''],
    ['about:blank', ''],
    ['not a url', ''],
  ])('%s → %j', (url, site) => {
    expect(siteOf(url)).toBe(site);
  });

  it('decodes Punycode labels, and refuses what is not Punycode', () => {
    expect(decodePunycode('bcher-kva')).toBe('bücher');
    expect(decodePunycode('mnchen-3ya')).toBe('münchen');
    expect(decodePunycode('!!!')).toBeNull();
    expect(decodePunycode('zz')).toBeNull();
  });
});

describe('describePublished', () => {
  it('says when the page says it was published, with the year when it is not this one', () => {
    expect(describePublished(new Date(2023, 5, 1).getTime(), new Date(2024, 2, 13), 'en-GB')).toBe('published 1 June 2023');
    expect(describePublished(undefined)).toBe('');
  });
});

describe('linkableUrl', () => {
  it.each([
    ['https://example.org/a?b=1', 'https://example.org/a?b=1'],
    ['  http://example.org ', 'http://example.org/'],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['file:///home/me/page.html', undefined],
    ['example.org/page', undefined],
    [undefined, undefined],
  ])('%j → %j', (url, link) => {
    expect(linkableUrl(url)).toBe(link);
  });
});

describe('describeProvenance', () => {
  const now = new Date(2024, 5, 10, 12, 0);
  const march3 = new Date(2024, 2, 3, 10, 15).getTime();

  it('names the day and the site', () => {
    expect(describeProvenance({ sourceUrl: 'https://www.example.org/a', savedAt: march3 }, now, 'en-GB')).toBe('saved 3 March from example.org');
  });

  it('writes the day the way the locale does', () => {
    expect(describeProvenance({ sourceUrl: 'https://example.org/', savedAt: march3 }, now, 'en-US')).toBe('saved March 3 from example.org');
  });

  it('adds the year only when it is not the current one', () => {
    const lastYear = new Date(2023, 2, 3).getTime();
    expect(describeProvenance({ sourceUrl: 'https://example.org/', savedAt: lastYear }, now, 'en-GB')).toBe('saved 3 March 2023 from example.org');
  });

  it('says what it knows and nothing else', () => {
    expect(describeProvenance({ sourceUrl: 'https://example.org/' }, now, 'en-GB')).toBe('saved from example.org');
    expect(describeProvenance({ savedAt: march3 }, now, 'en-GB')).toBe('saved 3 March');
    expect(describeProvenance({ sourceUrl: 'file:///tmp/x.html' }, now, 'en-GB')).toBe('');
    expect(describeProvenance({}, now)).toBe('');
  });
});

describe('provenance helpers', () => {
  const page: Provenance = { sourceUrl: 'https://example.org/canonical', evidence: { sourceUrl: 'canonical-link' } };
  const tool: Provenance = { sourceUrl: 'https://example.org/visited', savedAt: 5, evidence: { sourceUrl: 'singlefile-comment', savedAt: 'singlefile-comment' } };

  it('merges field by field, the first source with a value winning', () => {
    expect(mergeProvenance(tool, page)).toEqual(tool);
    expect(mergeProvenance(page, tool)).toEqual({
      sourceUrl: 'https://example.org/canonical',
      savedAt: 5,
      evidence: { sourceUrl: 'canonical-link', savedAt: 'singlefile-comment' },
    });
  });

  it("falls back to the file's date only when the file says nothing", () => {
    expect(withFileDate(page, 1234)).toEqual({ ...page, savedAt: 1234, evidence: { ...page.evidence, savedAt: 'file-date' } });
    expect(withFileDate(tool, 1234)).toBe(tool);
    expect(withFileDate(page, 0)).toBe(page);
  });

  it("reads the time of saving from the names Memory Cache's extension gave its files, before the file's date", () => {
    expect(dateFromFileName('PAGE2023-11-02T14.05.33.123Z019.pdf')).toBe(Date.UTC(2023, 10, 2, 14, 5, 33, 123));
    expect(dateFromFileName('MemoryCache/NOTE2024-01-15T09.00.00.000Z019.txt')).toBe(Date.UTC(2024, 0, 15, 9));
    expect(dateFromFileName('PAGE2023-02-31T14.05.33.123Z019.pdf')).toBeUndefined();
    expect(dateFromFileName('report 2023-11-02.pdf')).toBeUndefined();
    const named = withFileDate({ evidence: {} }, 1234, 'PAGE2023-11-02T14.05.33.123Z019.pdf');
    expect(named).toEqual({ savedAt: Date.UTC(2023, 10, 2, 14, 5, 33, 123), evidence: { savedAt: 'file-name' } });
  });
});
