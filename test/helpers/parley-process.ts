// A real `parley serve` process for end-to-end tests: spawned with only the environment a test gives it (the
// caller's DATABASE_URL, PORT and PARLEY_* settings left out), resolved once its log says where it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'parley.mjs');

export interface ParleyProcess {
  child: ChildProcess;
  /** Where it listens, without a trailing slash: `http://127.0.0.1:PORT`. */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

const running = new Set<ChildProcess>();

/** The environment of a child Parley: the test's own, without the settings that would steer it. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('PARLEY_')) delete base[k];
  return { ...base, PORT: '0', LOG_LEVEL: 'info', ...env };
}

export function serveParley(env: Record<string, string>, name = 'parley serve'): Promise<ParleyProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: string) => {
      output += chunk;
      const m = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], log: () => output, exited, alive: () => child.exitCode === null && child.signalCode === null });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/** Kills every process still running (a test's `after`). */
export function killParleys() {
  for (const child of running) child.kill('SIGKILL');
}
