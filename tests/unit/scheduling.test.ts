import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { yieldToMessages } from '../../web/lib/scheduling';

describe('yieldToMessages', () => {
  it('lets a message already waiting be handled before the work goes on', async () => {
    const order: string[] = [];
    const other = new MessageChannel();
    other.port1.onmessage = () => order.push('message');
    other.port2.postMessage(null);
    await yieldToMessages();
    order.push('work');
    other.port1.close();
    expect(order).toEqual(['message', 'work']);
  });

  it('resumes every caller, in the order they yielded, also thousands at once', async () => {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5000 }, (_, i) => yieldToMessages().then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('lets a Node process that used it end (the benchmarks and the ranking evaluation run there)', () => {
    const script = "import { yieldToMessages } from './web/lib/scheduling.ts'; await yieldToMessages(); await Promise.all([yieldToMessages(), yieldToMessages()]); console.log('ended');";
    // An open port would keep the process alive until the timeout kills it, and this throws.
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(output.trim()).toBe('ended');
  });
});
