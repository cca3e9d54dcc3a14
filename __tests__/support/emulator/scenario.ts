/**
 * A scenario's steps, run in the background, with each step's result recorded by name. Tests await
 * one result each: so several scenarios (each minutes of Terraform waiting on AWS) run at once, and
 * a test fails with the error of the step that stopped its scenario.
 */
export class Scenario<Results extends Record<string, unknown>> {
  /** Starts `body` now; `record` stores a result the moment a step has it. */
  public static start<Results extends Record<string, unknown>>(
    name: string,
    body: (record: <K extends keyof Results>(key: K, value: Results[K]) => void) => Promise<void>,
  ): Scenario<Results> {
    return new Scenario<Results>(name, body);
  }

  private readonly results: Partial<Results> = {};
  private failure: unknown;
  /** Settles when the scenario has run to its end or stopped at a failure; never rejects. */
  public readonly done: Promise<void>;

  private constructor(
    public readonly name: string,
    body: (record: <K extends keyof Results>(key: K, value: Results[K]) => void) => Promise<void>,
  ) {
    const started = Date.now();
    let last = started;
    this.done = body((key, value) => {
      this.results[key] = value;
      this.timings.push(`${String(key)} ${((Date.now() - last) / 1000).toFixed(0)}`);
      last = Date.now();
    }).then(
      () => {
        this.seconds = (Date.now() - started) / 1000;
      },
      (error) => {
        this.failure = error;
        this.seconds = (Date.now() - started) / 1000;
      },
    );
  }

  /** Seconds each step took, in order ("applied 31"), for the run's summary. */
  public readonly timings: string[] = [];

  /** Wall time of the whole scenario, once done. */
  public seconds = 0;

  /** A step's result, once the scenario is done; the error that stopped the scenario if the step never ran. */
  public async get<K extends keyof Results>(key: K): Promise<Results[K]> {
    await this.done;
    if (key in this.results) return this.results[key] as Results[K];
    const cause = this.failure instanceof Error ? this.failure.message : `never recorded (${String(this.failure)})`;
    throw new Error(`${this.name} stopped before "${String(key)}": ${cause}`);
  }
}
