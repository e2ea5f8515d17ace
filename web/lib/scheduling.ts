/**
 * Lets the messages already waiting be handled between slices of long work in a worker (a
 * search asked for while a book is indexed or the index saved). `scheduler.yield()` would
 * not: its continuation goes ahead of tasks already queued. A message posted to itself goes
 * behind them, without setTimeout's clamp of 4 ms once timers nest.
 *
 * The channel is held here while anyone waits on it: a channel made per call keeps no
 * reference to its sending port, and a port the garbage collector takes can take its message
 * with it, which would leave the work waiting for ever. It is closed once no one waits, or an
 * open port would keep a Node process (the benchmarks, the tests) from ever ending.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function yieldToMessages(): Promise<void> {
  if (!channel) {
    const opened = new MessageChannel();
    opened.port1.onmessage = () => {
      waiting.shift()?.();
      if (waiting.length > 0) return;
      opened.port1.close();
      if (channel === opened) channel = null;
    };
    channel = opened;
  }
  const { port2 } = channel;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port2.postMessage(null);
  });
}
