// @ts-check
// npm run mutation (scripts/mutation.js) runs Stryker once per part, with MUTATION_PART set.
// Each part's mutants run against the suites that test that part only: Stryker's jest runner loads
// every test file of testMatch for every mutant (then filters by test name), and loading the
// config suites and the guardrail suites costs seconds per mutant, so each part loads only its own.
// Not part of npm test. The suites that synthesize whole stacks cover every rule, so they are left out.
const PARTS = {
  // the guardrails, and the policy predicates they share with the config rules
  guardrails: {
    mutate: ['src/guardrails/**/*.ts', 'src/policy/**/*.ts'],
    tests: ['guardrails/rules', 'guardrails/branches', 'guardrails/engine', 'guardrails/hours-and-capacity'],
  },
  // the config rules: shape, AWS limits, cross-field and across files
  rules: {
    mutate: ['src/environment/rules/**/*.ts'],
    tests: [
      'environment/config-rules', 'environment/account-region', 'environment/branch-name', 'environment/secret-values',
      'environment/load', 'environment/previews', 'environment/cross-field', 'environment/across-files',
      'environment/rule-boundaries', 'environment/hours-and-capacity',
    ],
  },
  // the facts about AWS the rules import (not iam or prices: the constructs' and the review's, tested by their suites)
  aws: {
    mutate: ['autoscaling', 'cidr', 'codebuild', 'ecr', 'ecs', 'elb', 'ids', 'logs', 'route53'].map((module) => `src/aws/${module}.ts`),
    tests: ['aws/**/*'],
  },
};

const part = process.env.MUTATION_PART ?? '';
if (!(part in PARTS)) throw new Error(`MUTATION_PART must be one of ${Object.keys(PARTS).join(', ')} (got "${part}"): run npm run mutation`);
const { mutate, tests } = PARTS[/** @type {keyof typeof PARTS} */ (part)];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    configFile: 'jest.config.js',
    config: { testMatch: tests.map((test) => `**/__tests__/${test}.test.ts`), reporters: ['default'] },
    enableFindRelatedTests: false, // it misses the rules' suites (they reach the rules through the loader), so their mutants "survive"
  },
  mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
  thresholds: { high: 90, low: 85, break: null }, // the 85% bar is on the whole: scripts/mutation.js
  tempDirName: `.stryker-tmp/${part}`,
};
