import { ServerClient, type ServerStatus } from '../server/client';

/**
 * Keeps the server status fresh. It re-checks with backoff while no model answers (a
 * llamafile may be started after the page is opened) and slowly once connected.
 */

const CONNECTED_INTERVAL_MS = 30_000;
const MIN_RETRY_MS = 2_000;
const MAX_RETRY_MS = 30_000;

export class ServerMonitor {
  status = $state<ServerStatus>({ state: 'checking' });
  readonly client = new ServerClient();
  private retryMs = MIN_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;

  start(): void {
    void this.check();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    this.stop();
    this.status = await this.client.status();
    const connected = this.status.state === 'connected';
    const delay = connected ? CONNECTED_INTERVAL_MS : this.retryMs;
    this.retryMs = connected ? MIN_RETRY_MS : Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.timer = setTimeout(() => void this.check(), delay);
  }
}
