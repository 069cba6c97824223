// Where the CLI takes a new password from: --password (visible in `ps` and shell history), --password-stdin (a
// pipe or a file), or a prompt that does not echo when run in a terminal. Too short a password is refused.
import readline from 'node:readline';
import { ConfigError } from '../config.ts';

export interface PasswordOptions {
  password?: string;
  passwordStdin?: boolean;
}

export async function newPassword(o: PasswordOptions, minLength: number): Promise<string> {
  const password = o.password ?? (o.passwordStdin ? await firstLineOfStdin() : process.stdin.isTTY ? await prompt('Password: ') : undefined);
  if (password === undefined) throw new ConfigError('Give the password with --password-stdin (or --password), or run the command in a terminal to be asked');
  if ([...password].length < minLength) {
    throw new ConfigError(`The password must have at least ${minLength} characters (PARLEY_MIN_PASSWORD_LENGTH)`);
  }
  return password;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0];
}

/** Asks on the terminal; what is typed is not shown. */
function prompt(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo only the question: readline writes each typed character through this.
  const write = rl as unknown as { _writeToOutput(s: string): void };
  write._writeToOutput = (s: string) => {
    if (s === question || s.endsWith('\n')) process.stdout.write(s);
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}
