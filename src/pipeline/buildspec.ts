import { KIT } from '../kit/defaults';
/**
 * The CodeBuild buildspec of the staging deploy (../shared/reference/article.md, "Deploys"), without
 * the article's bugs: the epoch is `$(date +%s)`, ECR login names its user and reads the password
 * from stdin, and the deploy is the AWS CLI, not a script downloaded at build time. After the deploy,
 * the deploy check (./deploy-check.ts): a bounded wait that fails when the circuit breaker rolled the
 * rollout back, a smoke test through the production ALB, and a rollback when that fails.
 */
import { ECR_REPOSITORY_URL } from '../aws/ecr';
import { ENV_NAME } from '../aws/ecs';
import { WHOLE_SECRET_ARN } from '../aws/ids';
import { accessHeaderEnvironment, deployCheckScript, isSmokeSkip, SmokeTest, smokeTestProblems } from './deploy-check';

export interface BuildspecProps {
  /**
   * ECR repository URL, without a tag; both image tags are pushed here.
   * e.g. `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server`
   */
  readonly repositoryUrl: string;
  /** Image tag, e.g. `stg`; the build also pushes `<tagPrefix>.<epoch seconds>`. */
  readonly tagPrefix: string;
  /** Region of the ECS cluster, e.g. `ap-northeast-1`. */
  readonly region: string;
  /** ECS cluster name. */
  readonly cluster: string;
  /** ECS service name. */
  readonly service: string;
  /** Task definition family; the service is moved to its latest ACTIVE revision. */
  readonly family: string;
  /**
   * File in the source holding the Go version, passed to the Dockerfile as `GO_VERSION` (the write-up's
   * Go build). Whether the source has it is decided at build time: without it, the image is built
   * with a plain `docker build` and no `GO_VERSION`.
   * @default ".go-version"
   */
  readonly goVersionFile?: string;
  /**
   * More `docker build --build-arg NAME=value`, after `GO_VERSION`. Plain text in the buildspec and
   * the build log: never secrets. Names are variable names; `GO_VERSION` is the Go build's own.
   * @default - none
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * Paths CodeBuild keeps between builds on the same host (the project's local cache); none, no
   * `cache` section.
   * @default ["/go/pkg/**\/*"] - the write-up's `$GOPATH` cache: the Go module and build caches
   */
  readonly cachePaths?: readonly string[];
  /**
   * Dockerfile path, relative to the source root.
   * @default "./Dockerfile"
   */
  readonly dockerfile?: string;
  /**
   * Seconds the rollout may take before the build fails, 1–600 (a look every 10 s). A rollback after a
   * failed smoke test gets as long again.
   * @default 600 - the article's `ecs-deploy --timeout 600`
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * After the rollout: the URL to GET through the production ALB (with the listener rule's header,
   * read from its secret at build start), or why there is none, printed as a warning in the build log.
   * @default - no smoke test (the build log says so)
   */
  readonly smokeTest?: SmokeTest;
  /**
   * Secrets Manager secret ARN whose JSON holds `username` and `password` of a Docker Hub account,
   * to log in to Docker Hub before the build (pull rate limits). The values reach the build
   * through `env.secrets-manager`, never as plain text.
   * @default - no Docker Hub login
   */
  readonly dockerHubSecretArn?: string;
  /**
   * Environment file the props come from, named in the header comment.
   * @default - the header names no file
   */
  readonly sourceEnvironmentFile?: string;
}

/** A buildspec phase, as CodeBuild reads it. */
export interface BuildspecPhase {
  /** A failed command fails the phase; ABORT then stops the build. */
  readonly 'on-failure': 'ABORT';
  /** Run in order, in one shell; the phase fails at the first that fails. */
  readonly commands: readonly string[];
}

/** The buildspec as a plain object: YAML-ready, or embeddable as a CodeBuild project's `buildspec`. */
export interface Buildspec {
  readonly version: 0.2;
  readonly env: {
    /** bash, not CodeBuild's default /bin/sh, for `set -o pipefail`. */
    readonly shell: 'bash';
    /** Variable name → `<secret ARN>:<JSON key>`, resolved by CodeBuild at build start. */
    readonly 'secrets-manager'?: Readonly<Record<string, string>>;
    /** Variable name → SSM parameter (name or ARN), resolved by CodeBuild at build start. */
    readonly 'parameter-store'?: Readonly<Record<string, string>>;
  };
  readonly phases: {
    /** Registry logins. */
    readonly pre_build: BuildspecPhase;
    /** Build, push, deploy, wait, smoke test (and roll back). */
    readonly build: BuildspecPhase;
  };
  /** Kept between builds on the same host (the project's local cache); absent with no paths. */
  readonly cache?: { readonly paths: readonly string[] };
}

/**
 * The longest wait for a rollout: the article's `ecs-deploy --timeout 600`. The build's own timeout is
 * 30 minutes, which must also hold the image build, the smoke test and a rollback's wait.
 */
export const MAX_WAIT_SECONDS = 600;

/** The build arg the write-up's Go build passes, read from `goVersionFile`. */
const GO_VERSION_ARG = KIT.pipeline.goVersionBuildArg;

const DOCKER_HUB_USERNAME = 'DOCKERHUB_USERNAME';
const DOCKER_HUB_PASSWORD = 'DOCKERHUB_PASSWORD';

// A Docker tag is at most 128 of [\w.-]; the timestamped tag adds "." and 10 digits.
const TAG_PREFIX = /^\w[\w.-]{0,116}$/;

/** The buildspec as a plain object. Throws on props that would make a broken build. */
export function buildspecObject(props: BuildspecProps): Buildspec {
  const { registry, ecrRegion, account, repository } = validate(props);
  const goVersionFile = props.goVersionFile ?? KIT.pipeline.goVersionFile;
  const dockerfile = props.dockerfile ?? KIT.pipeline.dockerfile;
  const waitSeconds = props.waitTimeoutSeconds ?? MAX_WAIT_SECONDS;
  const image = shellQuote(`${props.repositoryUrl}:${props.tagPrefix}`);
  // The same image, tagged with the build's epoch seconds: "<repo>:<prefix>.<epoch>".
  const stampedImage = `${shellQuote(`${props.repositoryUrl}:${props.tagPrefix}.`)}"$EPOCH"`;
  const ecs = `--region ${shellQuote(props.region)} --cluster ${shellQuote(props.cluster)}`;
  const ecr = `--region ${shellQuote(ecrRegion)} --registry-id ${shellQuote(account)} --repository-name ${shellQuote(repository)}`;
  const service = shellQuote(props.service);
  const smokeTest = props.smokeTest ?? { skip: 'no smoke test: none was configured for this buildspec' };

  const preBuild: string[] = [];
  if (props.dockerHubSecretArn !== undefined) {
    preBuild.push(`set -o pipefail && printf '%s' "$${DOCKER_HUB_PASSWORD}" | docker login --username "$${DOCKER_HUB_USERNAME}" --password-stdin`);
  }
  // CodeBuild documents that variables persist between commands, not shell options: so pipefail is set
  // in the command itself. Without it a failed get-login-password would reach `docker login` as an empty password.
  preBuild.push(`set -o pipefail && aws ecr get-login-password --region ${shellQuote(ecrRegion)} | docker login --username AWS --password-stdin ${shellQuote(registry)}`);

  const goVersion = shellQuote(goVersionFile);
  // `--build-arg 'NAME=value'`: each quoted whole, so a value is one argument whatever it holds.
  const buildArgs = Object.entries(props.buildArgs ?? {}).map(([name, value]) => ` --build-arg ${shellQuote(`${name}=${value}`)}`).join('');
  const dockerBuild = (goBuildArg: string) => `docker build -f ${shellQuote(dockerfile)}${goBuildArg}${buildArgs} -t ${image} -t ${stampedImage} .`;

  // All that needs GO_VERSION and EPOCH is in this one phase, so nothing relies on state carried between
  // phases. Push and deploy are here, not in post_build, which CodeBuild by default runs even after a failed build.
  // Synth cannot see the application's repository, so whether it is a Go build (the write-up's: the
  // version from the file, passed as GO_VERSION) is decided here, at build time, by the file's presence.
  // (No "${…}" in these commands: the CodeBuild project's buildspec is a Terraform string.)
  const build = [
    `if [ -f ${goVersion} ]; then GO_VERSION="$(tr -d '[:space:]' < ${goVersion})" && { test -n "$GO_VERSION" || { echo ${shellQuote(`${goVersionFile} is empty`)} >&2; false; }; }; ` +
      `else echo ${shellQuote(`no ${goVersionFile} in the source: docker build without ${GO_VERSION_ARG}`)}; fi`,
    'EPOCH="$(date +%s)"',
    `if [ -f ${goVersion} ]; then ${dockerBuild(` --build-arg "${GO_VERSION_ARG}=$GO_VERSION"`)}; else ${dockerBuild('')}; fi`,
    // What a rollback goes back to, read before anything changes: the revision the service runs, and the
    // image the mutable tag names (none yet on a first build), which that revision would start again.
    `DEPLOY_PREVIOUS_TASK_DEFINITION="$(aws ecs describe-services ${ecs} --services ${service} --query 'services[0].taskDefinition' --output text)" && echo "deploy: before this deploy the service runs $DEPLOY_PREVIOUS_TASK_DEFINITION"`,
    `DEPLOY_ERR="$(mktemp)" && { DEPLOY_PREVIOUS_IMAGE_DIGEST="$(aws ecr describe-images ${ecr} --image-ids ${shellQuote(`imageTag=${props.tagPrefix}`)} --query 'imageDetails[0].imageDigest' --output text 2>"$DEPLOY_ERR")" || ` +
      `{ grep -q ImageNotFoundException "$DEPLOY_ERR" && DEPLOY_PREVIOUS_IMAGE_DIGEST=None; } || { cat "$DEPLOY_ERR" >&2; false; }; } && echo "deploy: ${props.tagPrefix} names $DEPLOY_PREVIOUS_IMAGE_DIGEST before this build"`,
    `docker push ${image}`,
    `docker push ${stampedImage}`,
    // The bare family: ECS takes its latest ACTIVE revision, so Terraform's task definition changes reach the service.
    // The PRIMARY deployment it started, and the revision ECS resolved the family to for it, are what
    // the wait expects to complete.
    `DEPLOY_STARTED="$(aws ecs update-service ${ecs} --service ${service} --task-definition ${shellQuote(props.family)} --force-new-deployment --query 'service.deployments[?status==\`PRIMARY\`] | [0].[taskDefinition, id]' --output text)" && ` +
      `read -r DEPLOY_TASK_DEFINITION DEPLOY_ID <<< "$DEPLOY_STARTED" && echo "deploy: started $DEPLOY_ID on $DEPLOY_TASK_DEFINITION"`,
    // One command, in a subshell: its functions and its exit need no state carried between commands.
    deployCheckCommand(props, smokeTest, waitSeconds, { ecrRegion, account, repository }),
  ];
  const cachePaths = props.cachePaths ?? KIT.pipeline.cachePaths;

  return {
    version: 0.2,
    env: {
      shell: 'bash',
      ...secretEnvironment(props, smokeTest),
    },
    phases: {
      pre_build: { 'on-failure': 'ABORT', commands: preBuild },
      build: { 'on-failure': 'ABORT', commands: build },
    },
    // By default the article's $GOPATH cache; in CodeBuild's standard images GOPATH is /go (module and build caches below it).
    ...(cachePaths.length === 0 ? {} : { cache: { paths: [...cachePaths] } }),
  };
}

/** The deploy check as one command: its inputs known at synth, then the shared script, in a subshell. */
function deployCheckCommand(props: BuildspecProps, smokeTest: SmokeTest, waitSeconds: number, image: { ecrRegion: string; account: string; repository: string }): string {
  const inputs: Record<string, string> = {
    DEPLOY_REGION: props.region,
    DEPLOY_CLUSTER: props.cluster,
    DEPLOY_SERVICE: props.service,
    DEPLOY_TIMEOUT: String(waitSeconds),
    DEPLOY_IMAGE_TAG: props.tagPrefix,
    DEPLOY_ECR_REGION: image.ecrRegion,
    DEPLOY_ECR_REGISTRY: image.account,
    DEPLOY_ECR_REPOSITORY: image.repository,
    ...(isSmokeSkip(smokeTest)
      ? { DEPLOY_SMOKE_URL: '', DEPLOY_SMOKE_SKIP: smokeTest.skip }
      : { DEPLOY_SMOKE_URL: smokeTest.url, DEPLOY_HEADER_NAME: smokeTest.header?.name ?? '' }),
  };
  const assignments = Object.entries(inputs).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return ['(', '# the deploy check: src/pipeline/deploy-check.ts', ...assignments, deployCheckScript().replace(/\n$/, ''), ')'].join('\n');
}

/** `env.secrets-manager` / `env.parameter-store`: the Docker Hub login's and the access header's references, never their values. */
function secretEnvironment(props: BuildspecProps, smokeTest: SmokeTest): Pick<Buildspec['env'], 'secrets-manager' | 'parameter-store'> {
  const header = accessHeaderEnvironment(smokeTest);
  const secretsManager = {
    ...(props.dockerHubSecretArn === undefined
      ? {}
      : {
          // secret-id:json-key, resolved by CodeBuild at build start and masked in its logs.
          [DOCKER_HUB_USERNAME]: `${props.dockerHubSecretArn}:username`,
          [DOCKER_HUB_PASSWORD]: `${props.dockerHubSecretArn}:password`,
        }),
    ...header['secrets-manager'],
  };
  return {
    ...(Object.keys(secretsManager).length > 0 ? { 'secrets-manager': secretsManager } : {}),
    ...(header['parameter-store'] ? { 'parameter-store': header['parameter-store'] } : {}),
  };
}

/** The header's third line: what the build checks after the deploy. */
function smokeTestLine(smokeTest: SmokeTest | undefined): string {
  if (smokeTest === undefined) return '# After the deploy: a bounded wait for the rollout; no smoke test, so no rollback.';
  if (isSmokeSkip(smokeTest)) return `# After the deploy: a bounded wait for the rollout; ${smokeTest.skip} (the build log says so too), so no rollback.`;
  const header = smokeTest.header ? ` with ${smokeTest.header.name} from ${smokeTest.header.valueFrom}` : '';
  return `# After the deploy: a bounded wait for the rollout, then GET ${smokeTest.url}${header}; a rollback when it is not 2xx.`;
}

/** The buildspec as YAML text (`buildspec.yml`), with a header saying it is generated. */
export function renderBuildspec(props: BuildspecProps): string {
  const source = props.sourceEnvironmentFile === undefined ? '' : ` from ${props.sourceEnvironmentFile}`;
  // The same text is inlined in the CodeBuild project and written out by `npm run buildspec`.
  const header = [
    `# Generated${source} by the staging project. Do not edit by hand: change the environment file,`,
    '# then `npm run synth` (the CodeBuild project) or `npm run buildspec` (this file).',
    smokeTestLine(props.smokeTest),
  ];
  return renderYaml(header, buildspecObject(props));
}

/**
 * A buildspec-shaped object (mappings, sequences of strings, strings and numbers) as YAML text, after
 * `header` (comment lines, each starting with "#"). Shared by the generated buildspecs, which keep src/
 * free of a YAML library at run time.
 */
export function renderYaml(header: readonly string[], document: object): string {
  return [...header, ...yamlMapping(document as YamlMapping, '')].join('\n') + '\n';
}

/** Single-quotes a value for bash, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What is wrong with build args (both buildspecs pass them to `docker build`); empty when nothing is. */
export function buildArgProblems(buildArgs: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(buildArgs ?? {}).flatMap(([name, value]) => [
    ...(ENV_NAME.test(name) ? [] : [`buildArgs: ${JSON.stringify(name)}: a build arg name must be a variable name: letters, digits and "_", not starting with a digit`]),
    ...(name === GO_VERSION_ARG ? [`buildArgs: ${GO_VERSION_ARG} is the Go build's own, read from goVersionFile`] : []),
    // One line: the previews build receives them one per line.
    ...(/[\0-\x1f\x7f]/.test(value) ? [`buildArgs: ${name}: the value must be a single line without control characters (got ${JSON.stringify(value)})`] : []),
  ]);
}

/** What is wrong with cache paths; empty when nothing is. */
export function cachePathProblems(cachePaths: readonly string[] | undefined): string[] {
  return (cachePaths ?? []).flatMap((cachePath) =>
    cachePath.length === 0 || /[\0-\x1f\x7f]/.test(cachePath) ? [`cachePaths: each must be a non-empty single line (got ${JSON.stringify(cachePath)})`] : [],
  );
}

function validate(props: BuildspecProps): { registry: string; account: string; ecrRegion: string; repository: string } {
  const problems: string[] = [];
  const match = ECR_REPOSITORY_URL.exec(props.repositoryUrl);
  if (!match) {
    problems.push(`repositoryUrl: must be an ECR repository URL like 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server, without a tag (got ${JSON.stringify(props.repositoryUrl)})`);
  }
  if (!TAG_PREFIX.test(props.tagPrefix)) {
    problems.push(`tagPrefix: must be 1–117 letters, digits, "_", "." or "-", not starting with "." or "-" (got ${JSON.stringify(props.tagPrefix)})`);
  }
  for (const key of ['region', 'cluster', 'service', 'family', 'goVersionFile', 'dockerfile', 'sourceEnvironmentFile'] as const) {
    const value = props[key];
    // A line break would end the YAML header comment, or split a command.
    if (value !== undefined && (value.length === 0 || /[\0-\x1f]/.test(value))) problems.push(`${key}: must be a non-empty single line (got ${JSON.stringify(value)})`);
  }
  problems.push(...buildArgProblems(props.buildArgs), ...cachePathProblems(props.cachePaths));
  const wait = props.waitTimeoutSeconds;
  if (wait !== undefined && !(Number.isInteger(wait) && wait >= 1 && wait <= MAX_WAIT_SECONDS)) {
    problems.push(`waitTimeoutSeconds: must be an integer from 1 to ${MAX_WAIT_SECONDS}, the article's --timeout 600 (got ${wait})`);
  }
  problems.push(...smokeTestProblems(props.smokeTest));
  if (props.dockerHubSecretArn !== undefined && !WHOLE_SECRET_ARN.test(props.dockerHubSecretArn)) {
    problems.push(`dockerHubSecretArn: must be a Secrets Manager secret ARN like arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-AbCdEf (got ${JSON.stringify(props.dockerHubSecretArn)})`);
  }
  if (problems.length > 0 || !match) throw new Error(`buildspec: ${problems.join('; ')}`);
  // ECR tokens are per region: log in to the registry's region, which may differ from the cluster's.
  return { registry: match[1], account: match[2], ecrRegion: match[3], repository: match[4] };
}

// A minimal YAML writer for the buildspec's shape (mappings, sequences of scalars, scalars), so
// that src/ needs no YAML library at run time. The tests parse its output with js-yaml.
type YamlScalar = string | number;
interface YamlMapping {
  readonly [key: string]: YamlScalar | readonly YamlScalar[] | YamlMapping;
}

function yamlMapping(mapping: YamlMapping, indent: string): string[] {
  return Object.entries(mapping).flatMap(([key, value]) => {
    if (typeof value === 'string' || typeof value === 'number') return [`${indent}${yamlScalar(key)}: ${yamlScalar(value)}`];
    if (Array.isArray(value)) return [`${indent}${yamlScalar(key)}:`, ...value.flatMap((item: YamlScalar) => yamlItem(item, `${indent}  `))];
    return [`${indent}${yamlScalar(key)}:`, ...yamlMapping(value as YamlMapping, `${indent}  `)];
  });
}

/** A sequence item: a multi-line command as a literal block (`|-`), readable as written, when it can be one. */
function yamlItem(item: YamlScalar, indent: string): string[] {
  if (typeof item === 'string' && isLiteralBlock(item)) return [`${indent}- |-`, ...item.split('\n').map((line) => (line === '' ? '' : `${indent}  ${line}`))];
  return [`${indent}- ${yamlScalar(item)}`];
}

/** Lines that a `|-` block gives back exactly: no control character but the line breaks, no leading or trailing blanks. */
function isLiteralBlock(value: string): boolean {
  return value.includes('\n') && !/[\0-\x09\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(value) && !/^\s|[ ]\n|\s$/.test(value);
}

/** Plain when YAML 1.1 and 1.2 both read it back as the same string, else double-quoted (JSON escapes are YAML escapes). */
function yamlScalar(value: YamlScalar): string {
  if (typeof value === 'number') return String(value);
  const plain =
    /^[^-?:,[\]{}#&*!|>'"%@`\s.=<]/.test(value) &&
    !/[\0-\x1f\x7f\u0085\u2028\u2029\ufeff]|: |:$| #|\s$/.test(value) &&
    !/^(?:[-+.]?\d|~$|(?:null|true|false|yes|no|on|off|y|n)$)/i.test(value);
  return plain ? value : JSON.stringify(value);
}
