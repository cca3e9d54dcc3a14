// `npm run review [-- <stack>...] [--docs]`: synthesizes every environment, or only the named stacks,
// then writes cdktf.out/review/<stack>/ main.tf, plan.txt, diagram.md and (for staging stacks) cost.md.
// With --docs, also refreshes the stg diagram committed in docs/review.md.
import { App } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reviewStacks, withDiagram } from '../src/review';
import { consentLines, consentOf } from '../src/environment/consent';
import { costMarkdown, priceTableWarning } from '../src/review/cost';
import { JsonObject } from '../src/review/hcl';
import { synthesize } from '../src/synth/synth';

const DIAGRAM_PAGE = path.join(__dirname, '..', 'docs', 'review.md');
const DIAGRAM_STACK = 'stg';
const USAGE = 'usage: npm run review [-- <stack>...] [--docs]';

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--docs');
  if (unknown.length > 0) {
    console.error(`${USAGE} (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  // Like synth, plan and buildspec: the stacks by name, or every stack; synthesize refuses an unknown
  // name in one line that lists the stacks, before it writes anything.
  const named = args.filter((arg) => !arg.startsWith('-'));
  const synth = synthesize({ stacks: named });
  if (synth.exitCode !== 0) return synth.exitCode;
  if (synth.stacks.length === 0) return 0;

  const outdir = (synth.stacks[0].node.root as App).outdir;
  const stackDirs = Object.fromEntries(synth.stacks.map((stack) => [stack.node.id, stack.outputDirectory]));
  const reviewRoot = path.join(outdir, 'review');
  // the review directory is ours alone: start clean so removed stacks leave nothing behind (named
  // stacks: only theirs, so the other stacks' reviews stay, as their synthesized output does)
  if (named.length === 0) fs.rmSync(reviewRoot, { recursive: true, force: true });
  else for (const stack of named) fs.rmSync(path.join(reviewRoot, stack), { recursive: true, force: true });

  const costs: Record<string, string> = Object.fromEntries(synth.stacks.map((stack) => [stack.node.id, costMarkdown(stack.node.id, stack.config)]));
  const consents = Object.fromEntries(synth.stacks.map((stack) => [stack.node.id, consentLines(consentOf(stack.config))]));
  const stale = priceTableWarning();
  if (stale) console.warn(stale);

  let exitCode = 0;
  for (const [stack, review] of Object.entries(reviewStacks(stackDirs, { consents }))) {
    const dir = path.join(reviewRoot, stack);
    fs.mkdirSync(dir, { recursive: true });
    const files = { ...review.files, ...(costs[stack] ? { 'cost.md': costs[stack] } : {}) };
    for (const [name, contents] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, contents);
      console.log(`${stack}: ${name} → ${path.relative(process.cwd(), file)}`);
    }
    if (!review.ok) {
      console.error(`error: ${stack}: terraform plan failed; see ${path.relative(process.cwd(), path.join(dir, 'plan.txt'))}`);
      exitCode = 1;
    }
  }

  if (args.includes('--docs')) {
    const stackDir = stackDirs[DIAGRAM_STACK];
    if (!stackDir) {
      console.error(`error: --docs needs the "${DIAGRAM_STACK}" stack`);
      return 1;
    }
    const config = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as JsonObject;
    const before = fs.readFileSync(DIAGRAM_PAGE, 'utf8');
    const after = withDiagram(before, DIAGRAM_STACK, config);
    if (after !== before) fs.writeFileSync(DIAGRAM_PAGE, after);
    console.log(`docs/review.md: ${DIAGRAM_STACK} diagram ${after === before ? 'already up to date' : 'updated'}`);
  }
  return exitCode;
}

process.exitCode = main(process.argv.slice(2));
