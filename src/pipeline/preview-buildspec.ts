/**
 * The buildspec of the previews' CodeBuild project. It is short on purpose: it installs Terraform,
 * pinned and checksum-verified, and runs `scripts/preview-build.sh` from this repository checked out
 * at the commit the staging stack pins (the secondary source `infra`). The pull request itself is the
 * primary source, and is only built into an image.
 */
import { KIT } from '../kit/defaults';
import { buildArgProblems, cachePathProblems, MAX_WAIT_SECONDS } from './buildspec';
import { accessHeaderEnvironment, isSmokeSkip, SmokeTest, smokeTestProblems } from './deploy-check';

/**
 * The deploy check after each preview's apply (./deploy-check.ts, as staging's deploy runs it): the
 * bounded wait for the rollout, the smoke test through the production ALB, and a rollback.
 */
export interface PreviewDeployCheck {
  /** The staging cluster the previews' services run in. */
  readonly cluster: string;
  /** A preview's service is `<servicePrefix><number>`. */
  readonly servicePrefix: string;
  /** Seconds the rollout may take, 1–600 (pipeline.waitTimeoutSeconds). */
  readonly waitTimeoutSeconds: number;
  /** `{host}` in the URL stands for the preview's host; or why there is no smoke test. */
  readonly smokeTest: SmokeTest;
}

/** A Terraform release for linux_amd64, as HashiCorp publishes it (releases.hashicorp.com). */
export interface TerraformRelease {
  readonly version: string;
  /** SHA-256 of `terraform_<version>_linux_amd64.zip`, from the release's SHA256SUMS. */
  readonly sha256: string;
}

export interface PreviewBuildspecProps {
  /** The environment (staging stack) the previews are made from, e.g. `stg`. */
  readonly environment: string;
  readonly region: string;
  /** ECR repository URL without a tag; previews push `pr-<n>` and `pr-<n>.<epoch>`. */
  readonly repositoryUrl: string;
  /** The S3 bucket of the staging and preview states. */
  readonly stateBucket: string;
  /** Key prefix of the previews' states: `previews/<environment>`. */
  readonly statePrefix: string;
  /** Days a preview may stay without a deploy before the reaper destroys it. */
  readonly ttlDays: number;
  /** GitHub user IDs whose pull requests get a preview (also the webhook's ACTOR_ACCOUNT_ID filter). */
  readonly trustedActors: readonly string[];
  /** The secondary source holding this repository at the pinned commit. */
  readonly infraSourceIdentifier: string;
  /**
   * The Terraform the build installs.
   * @default TERRAFORM_RELEASE
   */
  readonly terraform?: TerraformRelease;
  /**
   * File of the pull request's source holding the Go version: when the source has it, the image is built
   * with `--build-arg GO_VERSION=<its contents>` (the write-up's Go build), else with a plain `docker build`.
   * @default ".go-version"
   */
  readonly goVersionFile?: string;
  /**
   * More `docker build --build-arg NAME=value`, as staging's buildspec passes them. Plain text in the
   * project's environment variables: never secrets.
   * @default - none
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * Paths the build host keeps between builds (the project's local cache); none, no `cache` section.
   * @default ["/go/pkg/**\/*"] - the write-up's `$GOPATH` cache
   */
  readonly cachePaths?: readonly string[];
  /** Environment file the props come from, named in the header comment. */
  readonly sourceEnvironmentFile?: string;
  /**
   * The wait, smoke test and rollback after each apply.
   * @default - none: the build applies and reports the URL (and says there was no check)
   */
  readonly deployCheck?: PreviewDeployCheck;
}

/**
 * The Terraform this project is tested with (DEVELOPERS.md: 1.11.4). The hash is the linux_amd64 line
 * of https://releases.hashicorp.com/terraform/1.11.4/terraform_1.11.4_SHA256SUMS.
 */
export const TERRAFORM_RELEASE: TerraformRelease = {
  version: '1.11.4',
  sha256: '1ce994251c00281d6845f0f268637ba50c0005657eb3cf096b92f753b42ef4dc',
};

export interface PreviewBuildspec {
  readonly version: 0.2;
  readonly env: {
    readonly shell: 'bash';
    readonly variables: Readonly<Record<string, string>>;
    /** The access header's value for the smoke test, by reference (never the value). */
    readonly 'secrets-manager'?: Readonly<Record<string, string>>;
    readonly 'parameter-store'?: Readonly<Record<string, string>>;
  };
  readonly phases: {
    readonly install: { readonly 'on-failure': 'ABORT'; readonly commands: readonly string[] };
    readonly build: { readonly 'on-failure': 'ABORT'; readonly commands: readonly string[] };
  };
  readonly cache?: { readonly paths: readonly string[] };
}

const SHA256 = /^[0-9a-f]{64}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const TOOLS = '"$HOME/.preview-tools"';

export function previewBuildspecObject(props: PreviewBuildspecProps): PreviewBuildspec {
  const terraform = props.terraform ?? TERRAFORM_RELEASE;
  if (!VERSION.test(terraform.version)) throw new Error(`terraform.version must be like 1.11.4 (got ${JSON.stringify(terraform.version)})`);
  if (!SHA256.test(terraform.sha256)) throw new Error(`terraform.sha256 must be 64 hex digits (got ${JSON.stringify(terraform.sha256)})`);
  const problems = [...buildArgProblems(props.buildArgs), ...cachePathProblems(props.cachePaths)];
  const goVersionFile = props.goVersionFile ?? KIT.pipeline.goVersionFile;
  if (goVersionFile.length === 0 || /[\0-\x1f\x7f]/.test(goVersionFile)) problems.push(`goVersionFile: must be a non-empty single line (got ${JSON.stringify(goVersionFile)})`);
  problems.push(...deployCheckProblems(props.deployCheck));
  if (problems.length > 0) throw new Error(`preview buildspec: ${problems.join('; ')}`);
  const cachePaths = props.cachePaths ?? KIT.pipeline.cachePaths;
  const buildArgs = Object.entries(props.buildArgs ?? {}).map(([name, value]) => `${name}=${value}`);
  const zip = `terraform_${terraform.version}_linux_amd64.zip`;
  const infra = `"$CODEBUILD_SRC_DIR_${props.infraSourceIdentifier}"`;
  return {
    version: 0.2,
    env: {
      shell: 'bash',
      variables: {
        PREVIEW_ENVIRONMENT: props.environment,
        PREVIEW_REGION: props.region,
        PREVIEW_REPOSITORY_URL: props.repositoryUrl,
        PREVIEW_STATE_BUCKET: props.stateBucket,
        PREVIEW_STATE_PREFIX: props.statePrefix,
        PREVIEW_TTL_DAYS: String(props.ttlDays),
        PREVIEW_TRUSTED_ACTORS: props.trustedActors.join(' '),
        PREVIEW_GO_VERSION_FILE: goVersionFile,
        // NAME=value, one per line (values are single lines): scripts/preview-build.sh passes each as one --build-arg.
        ...(buildArgs.length === 0 ? {} : { PREVIEW_BUILD_ARGS: buildArgs.join('\n') }),
        ...deployCheckVariables(props.deployCheck),
      },
      ...accessHeaderEnvironment(props.deployCheck?.smokeTest),
    },
    phases: {
      install: {
        'on-failure': 'ABORT',
        commands: [
          // Pinned and verified: the hash is in this buildspec, so a tampered download fails here.
          `mkdir -p ${TOOLS} && curl -fsSL --retry 3 -o ${TOOLS}/terraform.zip https://releases.hashicorp.com/terraform/${terraform.version}/${zip}`,
          `set -o pipefail && echo "${terraform.sha256}  $HOME/.preview-tools/terraform.zip" | sha256sum -c -`,
          `unzip -o -q ${TOOLS}/terraform.zip terraform -d ${TOOLS}`,
          `cd ${infra} && npm ci --no-audit --no-fund`,
        ],
      },
      build: {
        'on-failure': 'ABORT',
        commands: [`PATH=${TOOLS}:"$PATH" PREVIEW_INFRA_DIR=${infra} bash ${infra}/scripts/preview-build.sh`],
      },
    },
    ...(cachePaths.length === 0 ? {} : { cache: { paths: [...cachePaths] } }),
  };
}

/** What scripts/preview-build.sh passes to the deploy check, as the project's variables. */
function deployCheckVariables(check: PreviewDeployCheck | undefined): Record<string, string> {
  if (check === undefined) return {};
  const smoke = check.smokeTest;
  return {
    PREVIEW_CLUSTER: check.cluster,
    PREVIEW_SERVICE_PREFIX: check.servicePrefix,
    PREVIEW_WAIT_TIMEOUT_SECONDS: String(check.waitTimeoutSeconds),
    ...(isSmokeSkip(smoke) ? { PREVIEW_SMOKE_SKIP: smoke.skip } : { PREVIEW_SMOKE_URL: smoke.url, ...(smoke.header ? { PREVIEW_ACCESS_HEADER_NAME: smoke.header.name } : {}) }),
  };
}

function deployCheckProblems(check: PreviewDeployCheck | undefined): string[] {
  if (check === undefined) return [];
  const line = (key: 'cluster' | 'servicePrefix') => (check[key].length === 0 || /[\0-\x1f\x7f]/.test(check[key]) ? [`deployCheck.${key}: must be a non-empty single line (got ${JSON.stringify(check[key])})`] : []);
  const wait = check.waitTimeoutSeconds;
  return [
    ...line('cluster'),
    ...line('servicePrefix'),
    ...(Number.isInteger(wait) && wait >= 1 && wait <= MAX_WAIT_SECONDS ? [] : [`deployCheck.waitTimeoutSeconds: must be an integer from 1 to ${MAX_WAIT_SECONDS} (got ${wait})`]),
    ...smokeTestProblems(check.smokeTest, true).map((problem) => `deployCheck.${problem}`),
  ];
}
