// `npm run buildspec -- [stack] [--out buildspec.yml]`: writes the CodeBuild buildspec of
// environments/<stack>.json (default stack "stg", default output ./buildspec.yml).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ARTICLE } from '../src/defaults';
import { loadEnvironmentFile } from '../src/environment/load';
import { EnvironmentConfig } from '../src/environment/schema';
import { BuildspecProps, renderBuildspec } from '../src/pipeline/buildspec';

/**
 * Maps what the environment file holds today to the buildspec's props. Kept here, not in
 * src/pipeline, because the schema is to gain a `pipeline` section that will replace this mapping.
 */
export function buildspecPropsFromEnvironment(config: EnvironmentConfig, file: string): BuildspecProps {
  return {
    repositoryUrl: repositoryUrlOf(config.taskDefinition.container.image, file),
    tagPrefix: config.ecrLifecycle.tagPrefix ?? ARTICLE.ecrLifecycle.tagPrefix,
    region: config.region,
    cluster: config.cluster?.name ?? ARTICLE.cluster.name,
    service: config.service.name ?? ARTICLE.service.name,
    family: config.taskDefinition.family ?? ARTICLE.taskDefinition.family,
    sourceEnvironmentFile: file,
  };
}

/** `<registry>/<repository>[:tag][@digest]` → `<registry>/<repository>`. */
function repositoryUrlOf(image: string | undefined, file: string): string {
  // Without an image the stack looks the repository up at plan time; the buildspec needs it now.
  if (image === undefined || image.includes('${')) {
    throw new Error(`${file}: taskDefinition.container.image: the buildspec needs the image URL written out, like 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg`);
  }
  const withoutDigest = image.replace(/@sha256:[a-f0-9]{64}$/, '');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const tag = withoutDigest.indexOf(':', lastSlash + 1);
  return tag === -1 ? withoutDigest : withoutDigest.slice(0, tag);
}

function main(argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string', default: 'buildspec.yml' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new Error(`expected one stack name, got ${positionals.length}: ${positionals.join(' ')}`);
  const stack = positionals[0] ?? 'stg';
  // Relative to the working directory, so the header names the file as the repository does.
  const file = path.posix.join('environments', `${stack}.json`);
  const loaded = loadEnvironmentFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\nerror: '));
  let text: string;
  try {
    text = renderBuildspec(buildspecPropsFromEnvironment(loaded.environment.config, file));
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(file) ? message : `${file}: ${message}`);
  }
  fs.writeFileSync(values.out, text);
  console.log(`wrote ${values.out} from ${file}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
