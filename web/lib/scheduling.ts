/**
 * Lets the messages already waiting be handled between slices of long work in a worker (a
 * search asked for while a book is indexed or the index saved). `scheduler.yield()` would
 * not: its continuation goes ahead of tasks already queued. A message posted to itself goes
 * behind them, without setTimeout's clamp of 4 ms once timers nest.
 */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
