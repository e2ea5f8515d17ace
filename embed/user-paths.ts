import { resolve } from 'node:path';

/**
 * A path the person typed, made absolute. `npm run` starts scripts in the package folder,
 * so relative paths are taken from where they ran npm (INIT_CWD), not from there.
 */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
