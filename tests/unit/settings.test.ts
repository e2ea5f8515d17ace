import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_SETTINGS, sanitizeSettings, type ChatSettings } from '../../web/lib/chat/settings';

describe('stored chat settings', () => {
  it('keeps a built-in template and "auto"', () => {
    expect(sanitizeSettings({ template: 'phi4' }).template).toBe('phi4');
    expect(sanitizeSettings({ template: 'auto' }).template).toBe('auto');
  });

  it('replaces a template name no build knows with "auto", rather than break every question', () => {
    expect(sanitizeSettings({ template: 'foo' } as unknown as Partial<ChatSettings>).template).toBe('auto');
    expect(sanitizeSettings({ template: 'constructor' } as unknown as Partial<ChatSettings>).template).toBe('auto');
    expect(sanitizeSettings({ template: 42 } as unknown as Partial<ChatSettings>).template).toBe('auto');
  });

  it('replaces numbers out of range or not numbers with limits or defaults', () => {
    const s = sanitizeSettings({ temperature: 9, topP: Number.NaN, maxAnswerTokens: 3, passageCount: 6.6 });
    expect(s).toMatchObject({ temperature: 2, topP: DEFAULT_CHAT_SETTINGS.topP, maxAnswerTokens: 16, passageCount: 7 });
  });
});
