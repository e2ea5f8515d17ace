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
});
