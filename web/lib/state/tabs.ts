/**
 * Tells the other open tabs of this app what changed, so each keeps its library list, search
 * index and conversation list in step without reloading. Every tab writes to the same
 * IndexedDB; this channel only says "look again".
 */

export type TabMessage =
  | { type: 'document-added'; docId: string; libraryVersion: number }
  | { type: 'document-deleted'; docId: string; chunkCount: number; libraryVersion: number }
  | { type: 'conversations-changed' }
  | { type: 'settings-changed' };

const CHANNEL = 'memory-cache';

export class TabChannel {
  private readonly channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  /** Calls `handle` for each message another tab posts (never for this tab's own). */
  listen(handle: (message: TabMessage) => void): () => void {
    const onMessage = (event: MessageEvent<TabMessage>) => handle(event.data);
    this.channel?.addEventListener('message', onMessage);
    return () => this.channel?.removeEventListener('message', onMessage);
  }
}
