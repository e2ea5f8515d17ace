import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLlamaServer, installLlamaServer } from '../embed/llama-server';
import { chromiumPath } from './support/chromium';

/**
 * `npm test`: type-checks, builds the app, and runs the unit and end-to-end tests. The
 * end-to-end tests need Debian's Chromium and a llama-server: in CI a missing one is a
 * failure; on a developer's machine they are skipped with the command that installs them.
 */

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const inCI = process.env.CI === 'true' || process.env.CI === '1';

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

if (!run('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings'])) process.exit(1);
if (!run('npx', ['vite', 'build', '--logLevel', 'warn'])) process.exit(1);

const missing: string[] = [];
if (!chromiumPath()) missing.push('Chromium (install: sudo apt-get install chromium)');
const tools: [string, string[], string][] = [
  ['qpdf', ['--version'], 'qpdf, which makes encrypted and damaged test PDFs (install: sudo apt-get install qpdf)'],
  ['gs', ['--version'], 'Ghostscript, which makes scanned test PDFs (install: sudo apt-get install ghostscript)'],
  ['zip', ['-v'], "Info-ZIP's zip, which makes stand-in llamafiles (install: sudo apt-get install zip)"],
  ['unzip', ['-v'], "Info-ZIP's unzip, which checks what npm run embed writes (install: sudo apt-get install unzip)"],
  ['python3', ['--version'], "Python 3, which runs the stand-in of llamafile's zipalign (install: sudo apt-get install python3)"],
];
for (const [command, args, what] of tools) if (spawnSync(command, args).status !== 0) missing.push(what);
if (!(findLlamaServer() ?? (await installLlamaServer()))) missing.push('llama-server (install: bash embed/setup-llama-server.sh)');
if (missing.length > 0 && inCI) {
  console.error(`CI needs every test dependency, and these are missing: ${missing.join('; ')}`);
  process.exit(1);
}
const projects = missing.length > 0 ? ['--project', 'unit'] : [];
if (missing.length > 0) console.warn(`\nSkipping the end-to-end tests: missing ${missing.join('; ')}.\n`);

const resultsFile = join(root, '.cache', 'test-results.json');
rmSync(resultsFile, { force: true });
const passed = run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)]);

// One closing line in the plain form every CI reader understands.
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  console.log(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`);
}
process.exit(passed ? 0 : 1);
