// Node's flags in `npm start` ("node <flags> bin/parley.mjs serve"), read from package.json: the start test and the
// benchmarks run Parley's processes as npm start runs them.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const START_FLAGS: readonly string[] = (() => {
  const start: string = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).scripts.start;
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/parley\.mjs serve$/.exec(start);
  if (!m) throw new Error(`npm start is not "node [flags] bin/parley.mjs serve": ${start}`);
  return m[1].split(' ').filter(Boolean);
})();
