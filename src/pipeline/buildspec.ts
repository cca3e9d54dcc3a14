import { KIT } from '../kit/defaults';
/**
 * The CodeBuild buildspec of the staging deploy (../shared/reference/article.md, "Deploys"), without
 * the article's bugs: the epoch is `$(date +%s)`, ECR login names its user and reads the password
 * from stdin, and the deploy is the AWS CLI, not a script downloaded at build time.
 */
import { ECR_REPOSITORY_URL } from '../aws/ecr';
import { ENV_NAME } from '../aws/ecs';
import { WHOLE_SECRET_ARN } from '../aws/ids';

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
   * Seconds to wait for the service to become stable before the build fails, 1–600.
   * @default 600 - the AWS CLI waiter's own limit (40 checks, 15 s apart)
   */
  readonly waitTimeoutSeconds?: number;
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
  };
  readonly phases: {
    /** Registry logins. */
    readonly pre_build: BuildspecPhase;
    /** Build, push, deploy, wait. */
    readonly build: BuildspecPhase;
  };
  /** Kept between builds on the same host (the project's local cache); absent with no paths. */
  readonly cache?: { readonly paths: readonly string[] };
}

/**
 * The AWS CLI `ecs wait services-stable` polls every 15 s and gives up after 40 checks (exit 255),
 * and it has no option to wait longer: so 600 s is both the default and the maximum.
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
  const { registry, ecrRegion } = validate(props);
  const goVersionFile = props.goVersionFile ?? KIT.pipeline.goVersionFile;
  const dockerfile = props.dockerfile ?? KIT.pipeline.dockerfile;
  const waitSeconds = props.waitTimeoutSeconds ?? MAX_WAIT_SECONDS;
  const image = shellQuote(`${props.repositoryUrl}:${props.tagPrefix}`);
  // The same image, tagged with the build's epoch seconds: "<repo>:<prefix>.<epoch>".
  const stampedImage = `${shellQuote(`${props.repositoryUrl}:${props.tagPrefix}.`)}"$EPOCH"`;
  const ecs = `--region ${shellQuote(props.region)} --cluster ${shellQuote(props.cluster)}`;

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
    `docker push ${image}`,
    `docker push ${stampedImage}`,
    // The bare family: ECS takes its latest ACTIVE revision, so Terraform's task definition changes reach the service.
    `aws ecs update-service ${ecs} --service ${shellQuote(props.service)} --task-definition ${shellQuote(props.family)} --force-new-deployment --query 'service.taskDefinition' --output text`,
    // The waiter stops itself at 600 s (exit 255); a shorter limit is coreutils `timeout` (exit 124).
    `${waitSeconds < MAX_WAIT_SECONDS ? `timeout ${waitSeconds} ` : ''}aws ecs wait services-stable ${ecs} --services ${shellQuote(props.service)}`,
  ];
  const cachePaths = props.cachePaths ?? KIT.pipeline.cachePaths;

  return {
    version: 0.2,
    env: {
      shell: 'bash',
      ...(props.dockerHubSecretArn === undefined
        ? {}
        : {
            // secret-id:json-key, resolved by CodeBuild at build start and masked in its logs.
            'secrets-manager': {
              [DOCKER_HUB_USERNAME]: `${props.dockerHubSecretArn}:username`,
              [DOCKER_HUB_PASSWORD]: `${props.dockerHubSecretArn}:password`,
            },
          }),
    },
    phases: {
      pre_build: { 'on-failure': 'ABORT', commands: preBuild },
      build: { 'on-failure': 'ABORT', commands: build },
    },
    // By default the article's $GOPATH cache; in CodeBuild's standard images GOPATH is /go (module and build caches below it).
    ...(cachePaths.length === 0 ? {} : { cache: { paths: [...cachePaths] } }),
  };
}

/** The buildspec as YAML text (`buildspec.yml`), with a header saying it is generated. */
export function renderBuildspec(props: BuildspecProps): string {
  const source = props.sourceEnvironmentFile === undefined ? '' : ` from ${props.sourceEnvironmentFile}`;
  // The same text is inlined in the CodeBuild project and written out by `npm run buildspec`.
  const header = [
    `# Generated${source} by the staging project. Do not edit by hand: change the environment file,`,
    '# then `npm run synth` (the CodeBuild project) or `npm run buildspec` (this file).',
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

function validate(props: BuildspecProps): { registry: string; ecrRegion: string } {
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
    problems.push(`waitTimeoutSeconds: must be an integer from 1 to ${MAX_WAIT_SECONDS}, the AWS CLI waiter's limit (got ${wait})`);
  }
  if (props.dockerHubSecretArn !== undefined && !WHOLE_SECRET_ARN.test(props.dockerHubSecretArn)) {
    problems.push(`dockerHubSecretArn: must be a Secrets Manager secret ARN like arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-AbCdEf (got ${JSON.stringify(props.dockerHubSecretArn)})`);
  }
  if (problems.length > 0 || !match) throw new Error(`buildspec: ${problems.join('; ')}`);
  // ECR tokens are per region: log in to the registry's region, which may differ from the cluster's.
  return { registry: match[1], ecrRegion: match[3] };
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
    if (Array.isArray(value)) return [`${indent}${yamlScalar(key)}:`, ...value.map((item: YamlScalar) => `${indent}  - ${yamlScalar(item)}`)];
    return [`${indent}${yamlScalar(key)}:`, ...yamlMapping(value as YamlMapping, `${indent}  `)];
  });
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
