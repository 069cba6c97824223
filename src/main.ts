// Entry point of the `parley` command.
import { runCli } from './cli/index.ts';

await runCli(process.argv);
