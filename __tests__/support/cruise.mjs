// `node cruise.mjs <config> <root>...`: dependency-cruiser over `src/` of each root, with one config, in
// one process; prints {root: {modules, violations}} as JSON (modules: how many it read). One process for
// the layers suite's two trees: each depcruise start loads its modules and TypeScript first (~0.9 s of
// CPU of its ~1.8 s, measured). The API is dependency-cruiser's public one: the options extracted from
// the config as its CLI does, the tsconfig of the tree cruised, paths relative to the root (the rules are
// anchored at ^src/).
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import * as path from 'node:path';

const [config, ...roots] = process.argv.slice(2);
const options = await extractDepcruiseOptions(path.resolve(config));
const results = {};
for (const root of roots) {
  process.chdir(root);
  const tsConfig = extractTSConfig(path.join(root, options.tsConfig?.fileName ?? 'tsconfig.json'));
  const { output } = await cruise(['src'], options, {}, { tsConfig });
  results[root] = { modules: output.summary.totalCruised, violations: output.summary.violations };
}
process.stdout.write(JSON.stringify(results));
