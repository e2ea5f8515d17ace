// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../../web/lib/chat/markdown';
import type { SourceRef } from '../../web/lib/storage/schema';

const docId = 'a'.repeat(64);
const sources: SourceRef[] = [
  { n: 1, chunkId: `${docId.slice(0, 16)}:3`, docId, title: 'Tide Pools', fileName: 'tide.pdf', page: 2, tokens: 120, text: '…' },
  { n: 2, chunkId: `${docId.slice(0, 16)}:7`, docId, title: 'Tide Pools', fileName: 'tide.pdf', page: 3, tokens: 90, text: '…' },
];

function html(markdown: string): HTMLElement {
  const root = document.createElement('div');
  root.append(renderAnswer(markdown, sources));
  return root;
}

describe('answers', () => {
  it('render Markdown', () => {
    const root = html('**Starfish** eat mussels.\n\n- one\n- two');
    expect(root.querySelector('strong')?.textContent).toBe('Starfish');
    expect(root.querySelectorAll('li')).toHaveLength(2);
  });

  it('link each citation to its page, named after the document and the page', () => {
    const links = html('A star eats eighty mussels a year [1]. Visit at low tide [2, 1].').querySelectorAll('a.citation');
    expect(Array.from(links, (a) => a.getAttribute('aria-label'))).toEqual(['Source 1: Tide Pools, page 2', 'Source 2: Tide Pools, page 3', 'Source 1: Tide Pools, page 2']);
    expect(links[0].getAttribute('href')).toBe(`#/doc/${docId}?page=2&chunk=${encodeURIComponent(sources[0].chunkId)}`);
  });

  it('leave numbers that match no passage unlinked', () => {
    const root = html('See [7] and [1].');
    expect(root.querySelectorAll('a')).toHaveLength(1);
    expect(root.textContent?.trim()).toBe('See [7] and [1].');
  });

  it('do not link citations inside code', () => {
    expect(html('`array[1]` and\n\n```\nx[1]\n```').querySelectorAll('a')).toHaveLength(0);
  });

  it('never carry script, handlers, images or styles from the model', () => {
    const root = html('<script>window.hacked = 1</script><img src="https://example.com/x.png" onerror="window.hacked=1"><p style="color:red" onclick="alert(1)">hi</p><iframe src="https://example.com"></iframe>\n\n[x](javascript:alert(1)) and [y](https://example.org)');
    expect(root.querySelector('script, img, iframe, [onerror], [onclick], [style]')).toBeNull();
    expect(Array.from(root.querySelectorAll('a'), (a) => a.getAttribute('href'))).toEqual([null, 'https://example.org']);
    expect(root.textContent).toContain('hi');
  });

  it('open links from an answer in a new tab, without a referrer', () => {
    const link = html('[docs](https://example.org/)').querySelector('a');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('drop control characters a model emits', () => {
    expect(html('a\u0000b\u001bc').textContent?.trim()).toBe('abc');
  });
});
