import { synthesize, SynthOptions } from './synth';

const USAGE = `usage: npm run synth [-- <stack>...]
       npm run synth -- --preview <stack> <pull request number>
  Reads every environment file (environments/*.json, or the examples while there is none),
  then writes cdktf.out/stacks/<stack>/ for the named stacks, or for all of them.
  Problems in files that are not named are warnings, unless they collide with a named stack.
  --preview writes only the pull request's preview, <stack>-pr-<number>.
  PREVIEW_PULL_REQUESTS=7,12 also writes <stack>-pr-7 and <stack>-pr-12 for each stack with previews.`;

/** The previews asked for, or an error line. */
function previewsOf(argv: readonly string[], env: NodeJS.ProcessEnv): { previews?: SynthOptions['previews']; stacks: string[] } | string {
  const numbers = (text: string) => text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const asNumbers = (parts: string[]) => (parts.every((part) => /^\d{1,9}$/.test(part)) ? parts.map(Number) : undefined);
  const at = argv.indexOf('--preview');
  if (at >= 0) {
    const [environment, number, ...rest] = argv.slice(at + 1);
    const parsed = number === undefined ? undefined : asNumbers([number]);
    if (!environment || environment.startsWith('-') || !parsed || rest.length > 0 || at > 0) return `--preview takes a stack and one pull request number, alone: npm run synth -- --preview stg 12`;
    return { previews: { environment, numbers: parsed }, stacks: [] };
  }
  const option = argv.find((arg) => arg.startsWith('-'));
  if (option) return `unknown option ${option}`;
  const fromEnv = env.PREVIEW_PULL_REQUESTS;
  if (fromEnv === undefined || fromEnv.trim() === '') return { stacks: [...argv] };
  const parsed = asNumbers(numbers(fromEnv));
  if (!parsed) return `PREVIEW_PULL_REQUESTS must be pull request numbers separated by commas, like 7,12 (got ${JSON.stringify(fromEnv)})`;
  return { previews: { numbers: parsed }, stacks: [...argv] };
}

/** `npm run synth -- [<stack>...]`, and the cdktf CLI's app (which passes no arguments). Returns the exit code. */
export function synthesizeFromCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const request = previewsOf(argv, env);
  if (typeof request === 'string') {
    console.error(`error: ${request}\n${USAGE}`);
    return 1;
  }
  try {
    return synthesize({ stacks: request.stacks, previews: request.previews }).exitCode;
  } catch (failure) {
    // Whatever a file holds, the user sees one line, never a stack trace (CDKTF_DEBUG=1 rethrows, for us).
    if (process.env.CDKTF_DEBUG === '1') throw failure;
    console.error(`error: synth failed: ${String((failure as Error)?.message ?? failure).split('\n')[0].slice(0, 300)}`);
    return 1;
  }
}
