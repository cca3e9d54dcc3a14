import fc from 'fast-check';
import { AcceptedSample, checkSynth, describeValidateFailure, describeViolations, generatedProject, validateStacks } from '../support/fuzz';
import { describeWithTerraform } from '../support/terraform';

/**
 * The property `npm run fuzz` runs for longer (see `__tests__/support/fuzz.ts`): here with a fixed
 * seed, so that every run of `npm test` checks the same files, and as many as fit in a few seconds.
 */
const SEED = 20261202;
const RUNS = 40;
/** Accepted stacks that go through `terraform validate`: one call for all of them, which costs seconds whatever their number. */
const VALIDATE_SAMPLE = 6;

/** The accepted stacks the property met, for the Terraform suite; and how many projects it checked. */
const sample = new AcceptedSample(VALIDATE_SAMPLE);
let checked = 0;

describe(`synth of generated environment files (property, seed ${SEED})`, () => {
  test('every file is accepted, or refused in one-line errors naming the file and field, with no stack trace and the output left as it was', () => {
    fc.assert(
      // GIVEN a project with files made from the fixtures, with nasty values and text, and an output dir from a good synth or none
      fc.property(generatedProject(), (project) => {
        // WHEN synth reads it
        const check = checkSynth(project);
        checked++;
        sample.offer(check.accepted);
        // THEN it keeps its contract
        if (check.violations.length > 0) throw new Error(describeViolations(check));
      }),
      { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
    );
  });
});

describeWithTerraform(`stacks synth accepted from generated files (property, seed ${SEED})`, () => {
  test(`terraform validate accepts a sample of ${VALIDATE_SAMPLE}`, () => {
    // GIVEN the accepted stacks the property met (or, when it did not run here, those of the same seed)
    if (checked === 0) for (const project of fc.sample(generatedProject(), { seed: SEED, numRuns: RUNS })) sample.offer(checkSynth(project).accepted);
    const stacks = sample.take();
    expect(stacks.length).toBeGreaterThan(0);

    // WHEN terraform validates them, in one workspace
    const failures = validateStacks(stacks);

    // THEN it refuses none (a refusal prints the generated file and Terraform's diagnostics, unquoted)
    if (failures.length > 0) throw new Error(failures.map(describeValidateFailure).join('\n\n'));
  });
});
