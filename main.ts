import { App } from 'cdktf';
import * as path from 'node:path';
import { loadEnvironments } from './src/environment/load';
import { StagingStack } from './src/staging-stack';

// Validate every environment file before any stack is built, so bad input never touches cdktf.out.
const loaded = loadEnvironments(process.env.STAGING_ENVIRONMENTS_DIR ?? 'environments');
if (!loaded.ok) {
  for (const error of loaded.errors) console.error(`error: ${error}`);
  console.error(`synth stopped: ${loaded.errors.length} error(s); cdktf.out was left as it was`);
  process.exit(1);
}

const app = new App();
const stacks = loaded.environments.map((environment) => new StagingStack(app, environment.name, { config: environment.config }));
app.synth();

for (const stack of stacks) {
  const resources = Object.values(stack.toTerraform().resource ?? {}).reduce(
    (count: number, byName) => count + Object.keys(byName as object).length,
    0,
  );
  console.log(`${stack.node.id}: ${resources} resources → ${path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json')}`);
}
