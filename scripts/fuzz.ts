// `npm run fuzz -- [--runs 5000] [--seed S] [--batch 25] [--classes]`: the property of
// __tests__/environment/property.test.ts for longer, with a new seed each time unless one is given.
// Accepted stacks go through `terraform validate` in batches (one call each, when Terraform is on PATH).
// Stops at the first counterexample and prints it shrunk, with its file text and what synth printed;
// with --classes, runs on and prints one shrunk counterexample per cause instead. Exits 1 on any.
import fc from 'fast-check';
import { AcceptedSample, checkSynth, describeValidateFailure, describeViolations, generatedProject, SynthCheck, ValidateFailure, validateStacks } from '../__tests__/support/fuzz';
import { ProviderServer, terraformAvailable } from '../src/terraform/offline';

interface Options {
  readonly runs: number;
  readonly seed: number;
  readonly batch: number;
  readonly classes: boolean;
}

function parseOptions(args: readonly string[]): Options {
  const unknown = args.filter((arg) => arg.startsWith('--') && !['--runs', '--seed', '--batch', '--classes'].includes(arg));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')}; the options are --runs N, --seed S, --batch N, --classes`);
  const value = (name: string) => {
    const index = args.indexOf(name);
    if (index < 0) return undefined;
    const number = Number(args[index + 1]);
    if (!Number.isSafeInteger(number)) throw new Error(`${name} needs an integer (got ${JSON.stringify(args[index + 1])})`);
    return number;
  };
  return { runs: value('--runs') ?? 1000, seed: value('--seed') ?? Date.now() % 2 ** 31, batch: value('--batch') ?? 25, classes: args.includes('--classes') };
}

/** Batches of accepted stacks for `terraform validate`; failures are kept (not shrunk: a batch mixes many runs). */
class ValidateBatches {
  public readonly failures: ValidateFailure[] = [];
  public validated = 0;
  private readonly pending: AcceptedSample;
  private readonly enabled = terraformAvailable();

  constructor(size: number) {
    this.pending = new AcceptedSample(size);
    if (!this.enabled) console.log('terraform not found: accepted stacks are not validated');
  }

  public offer(check: SynthCheck): void {
    if (!this.enabled) return;
    this.pending.offer(check.accepted);
    if (this.pending.full) this.flush();
  }

  public flush(): void {
    const stacks = this.pending.take();
    this.validated += stacks.length;
    this.failures.push(...validateStacks(stacks));
  }
}

/** The run's statistics, printed as progress. */
class Progress {
  public runs = 0;
  public accepted = 0;
  public failed = 0;
  public slowest = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number) {}

  public count(check: SynthCheck, failed: boolean): void {
    this.runs++;
    if (check.exitCode === 0) this.accepted++;
    if (failed) this.failed++;
    this.slowest = Math.max(this.slowest, check.milliseconds);
    if (this.runs % 100 === 0) this.print();
  }

  public print(validate?: ValidateBatches): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(0);
    const validated = validate ? `, ${validate.validated} validated (${validate.failures.length} refused)` : '';
    console.log(`${this.runs}/${this.total} runs in ${seconds} s: ${this.accepted} accepted, ${this.failed} broke the contract${validated}; slowest synth ${this.slowest} ms`);
  }
}

/** Until the first counterexample, which fast-check shrinks and prints. */
function firstCounterexample(options: Options, validate: ValidateBatches, progress: Progress): boolean {
  const details = fc.check(
    fc.property(generatedProject(), (project) => {
      const check = checkSynth(project);
      // shrinking runs count too, but only the first failure's
      if (progress.failed === 0) progress.count(check, check.violations.length > 0);
      if (check.violations.length > 0) throw new Error(describeViolations(check));
      if (progress.failed === 0) validate.offer(check);
    }),
    { seed: options.seed, numRuns: options.runs, includeErrorInReport: true },
  );
  if (!details.failed) return true;
  console.log(fc.defaultReportMessage(details));
  return false;
}

/**
 * Every run, grouped by cause; then, per cause, its first run replayed (fast-check's `path`: same seed,
 * that run's index) with a property that fails only on that cause, so that fast-check shrinks it.
 */
function counterexamplesByCause(options: Options, validate: ValidateBatches, progress: Progress): boolean {
  /** Cause → index of the first run that met it. */
  const firstRunOf = new Map<string, number>();
  fc.check(
    fc.property(generatedProject(), (project) => {
      const check = checkSynth(project);
      for (const found of check.violations) if (!firstRunOf.has(found.cause)) firstRunOf.set(found.cause, progress.runs);
      progress.count(check, check.violations.length > 0);
      validate.offer(check);
    }),
    { seed: options.seed, numRuns: options.runs, includeErrorInReport: true },
  );
  for (const [cause, run] of firstRunOf) {
    const details = fc.check(
      fc.property(generatedProject(), (project) => {
        const check = checkSynth(project);
        if (check.violations.some((found) => found.cause === cause)) throw new Error(describeViolations(check));
      }),
      { seed: options.seed, path: String(run), includeErrorInReport: true },
    );
    console.log(`\n=== ${cause} (first at run ${run + 1})`);
    console.log(details.failed ? fc.defaultReportMessage(details) : '(not met again)');
  }
  return firstRunOf.size === 0;
}

function main(options: Options): number {
  console.log(`fuzzing synth: ${options.runs} runs, seed ${options.seed} (repeat with: npm run fuzz -- --runs ${options.runs} --seed ${options.seed}${options.classes ? ' --classes' : ''})`);
  const validate = new ValidateBatches(options.batch);
  const progress = new Progress(options.runs);
  const kept = options.classes ? counterexamplesByCause(options, validate, progress) : firstCounterexample(options, validate, progress);
  validate.flush();
  progress.print(validate);
  // one counterexample per cause: the first stack refused for it
  const byCause = new Map<string, ValidateFailure>();
  for (const failure of validate.failures) if (!byCause.has(failure.cause)) byCause.set(failure.cause, failure);
  for (const [cause, failure] of byCause) console.log(`\n=== ${cause}\n${describeValidateFailure(failure)}`);
  return kept && validate.failures.length === 0 ? 0 : 1;
}

let options: Options | undefined;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`npm run fuzz: ${(error as Error).message}`);
  process.exitCode = 2;
}
if (options) {
  try {
    process.exitCode = main(options);
  } finally {
    void ProviderServer.stopShared();
  }
}
