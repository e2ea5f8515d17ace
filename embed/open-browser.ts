import { spawn } from 'node:child_process';

/**
 * Opens `url` in the person's browser; says so and does nothing where there is none to open
 * (no desktop session, CI). The browser is theirs: it is not a child to stop on Ctrl-C.
 */
export function openBrowser(url: string, log: (line: string) => void = console.log): void {
  const { platform, env } = process;
  if (env.CI || (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)) {
    log(`Open ${url} in a browser.`);
    return;
  }
  const [command, args] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => log(`Could not open a browser: open ${url} yourself.`));
  child.unref();
}
