import type { ChatMessage } from '../server/client';
import type { StoredMessage } from '../storage/schema';
import { withoutCitations } from './markdown';

/**
 * Earlier turns as chat messages: finished answers only, so a stopped, cut-off or failed one
 * does not teach the model. Their [n] citations are left out: the numbers pointed at that
 * turn's passages, and the passages of this turn are numbered afresh.
 */
export function historyOf(messages: StoredMessage[]): ChatMessage[] {
  const turns: ChatMessage[] = [];
  for (let i = 0; i + 1 < messages.length; i += 2) {
    const [question, answer] = [messages[i], messages[i + 1]];
    if (question.role === 'user' && answer.role === 'assistant' && answer.status === 'done' && answer.content.trim()) {
      turns.push({ role: 'user', content: question.content }, { role: 'assistant', content: withoutCitations(answer.content) });
    }
  }
  return turns;
}
