import { describe, expect, it } from 'vitest';
import { describeWait } from '../../web/lib/chat/waiting';

describe('what a slow answer says', () => {
  it('says nothing for the first moments, then counts the wait and what the model reads', () => {
    expect(describeWait({ elapsedMs: 1500, quietMs: 1500, hasText: false, promptTokens: 900 })).toBeNull();
    expect(describeWait({ elapsedMs: 12_400, quietMs: 12_400, hasText: false, promptTokens: 1104 })).toBe(
      'Waiting for the model: 12 s. It reads the prompt (1,104 tokens) before it writes.',
    );
    expect(describeWait({ elapsedMs: 3000, quietMs: 3000, hasText: false, promptTokens: null })).toBe('Waiting for the model: 3 s.');
  });

  it('tells a pause in the middle of an answer, and what to do when the server seems stuck', () => {
    expect(describeWait({ elapsedMs: 20_000, quietMs: 3000, hasText: true, promptTokens: 900 })).toBeNull();
    expect(describeWait({ elapsedMs: 20_000, quietMs: 9000, hasText: true, promptTokens: 900 })).toBe('The model has paused for 9 s.');
    expect(describeWait({ elapsedMs: 61_000, quietMs: 61_000, hasText: false, promptTokens: 900 })).toBe(
      'Waiting for the model: 61 s. It may be busy with another request, or stuck: Stop, then Retry, or keep waiting.',
    );
  });
});
