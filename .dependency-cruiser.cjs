// dependency-cruiser: the layers of src/, lowest first. A module may import its own layer and the
// layers below it. `npm test` runs this (__tests__/layers.test.ts); `npx depcruise src` shows it.
// aws: facts about AWS. policy: security posture, one predicate per policy. kit: the kit's defaults,
// addresses and reference syntax. environment: the config (the file, its schema and rules). operations:
// the day-2 commands (status, logs, rollback, exec, drift), on top: they read the config and call AWS.
const LAYERS = ['aws', 'policy', 'kit', 'environment', 'pipeline', 'constructs', 'guardrails', 'stack', 'synth', 'terraform', 'review', 'operations'];

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, index) => ({
      name: `${layer}-imports-above`,
      comment: `src/${layer} may import only ${LAYERS.slice(0, index + 1).join(', ')}`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${LAYERS.slice(index + 1).join('|')})/` },
    })),
    {
      // Config and these three are siblings that a line of layers cannot say: neither reads the other.
      name: 'constructs-pipeline-guardrails-import-config',
      comment: 'src/constructs, src/pipeline and src/guardrails take typed props and Terraform JSON, not config: src/stack wires the config to them',
      severity: 'error',
      from: { path: '^src/(constructs|pipeline|guardrails)/' },
      to: { path: '^src/environment/' },
    },
    {
      name: 'outside-the-layers',
      comment: `every module of src/ lives in a layer: ${LAYERS.join(', ')}`,
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})/` },
      to: {},
    },
    {
      name: 'cdktf-internals',
      comment: 'cdktf internals (cdktf/lib/...) only in the adapter, so that a move to CDK Terrain is one file',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/stack/cdktf-adapter\\.ts$' },
      to: { path: 'node_modules/cdktf/lib/', pathNot: 'node_modules/cdktf/lib/index\\.js$' },
    },
    { name: 'no-circular', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
