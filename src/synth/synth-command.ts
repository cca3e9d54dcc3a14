import { synthesize } from './synth';

const USAGE = `usage: npm run synth [-- <stack>...]
  Reads every environment file (environments/*.json, or the examples while there is none),
  then writes cdktf.out/stacks/<stack>/ for the named stacks, or for all of them.
  Problems in files that are not named are warnings, unless they collide with a named stack.`;

/** `npm run synth -- [<stack>...]`, and the cdktf CLI's app (which passes no arguments). Returns the exit code. */
export function synthesizeFromCommandLine(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const option = argv.find((arg) => arg.startsWith('-'));
  if (option) {
    console.error(`error: unknown option ${option}\n${USAGE}`);
    return 1;
  }
  try {
    return synthesize({ stacks: argv }).exitCode;
  } catch (failure) {
    // Whatever a file holds, the user sees one line, never a stack trace (CDKTF_DEBUG=1 rethrows, for us).
    if (process.env.CDKTF_DEBUG === '1') throw failure;
    console.error(`error: synth failed: ${String((failure as Error)?.message ?? failure).split('\n')[0].slice(0, 300)}`);
    return 1;
  }
}
