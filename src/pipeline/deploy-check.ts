/**
 * What a deploy does after `update-service` (staging) or `terraform apply` (a preview), as one bash
 * script shared by both builds: wait for the rollout with a bounded delay, fail when the circuit breaker
 * rolled it back, then smoke-test the health check path through the production ALB, and when that does
 * not answer 2xx, roll the service back to the revision that ran before and fail the build.
 *
 * Not `aws ecs wait services-stable`: it checks every 15 s for at most 40 times (600 s, and no option to
 * wait longer), and "stable" is also what a service is once the circuit breaker has rolled it back, so
 * the waiter reports success for a failed deploy (ecspresso #732; aws-actions/amazon-ecs-deploy-task-
 * definition #191 and #494). The SDK's waiters back off up to 600 s between looks without a maxDelay
 * of their own (aws-sdk-js-v3 #872): a fixed 10 s delay sees the end of a rollout within 10 s.
 *
 * The script reads its inputs from variables (DEPLOY_*, below). Its text holds no "${" and no "%{":
 * staging's buildspec is inlined in the CodeBuild project as a Terraform string, where either would be
 * read as an interpolation or a template directive.
 */
import { SECRET_REFERENCE } from '../aws/ids';

/** Seconds between two looks at the service. */
export const POLL_SECONDS = 10;
/** Tries of the smoke test, each bounded by `SMOKE_MAX_TIME_SECONDS`, `SMOKE_RETRY_SECONDS` apart. */
export const SMOKE_ATTEMPTS = 6;
export const SMOKE_MAX_TIME_SECONDS = 10;
export const SMOKE_RETRY_SECONDS = 10;
/** The variable CodeBuild puts the access header's value in (`env.secrets-manager` or `env.parameter-store`). */
export const ACCESS_HEADER_VALUE = 'STG_ACCESS_HEADER_VALUE';

/** The smoke test: a URL through the production ALB, with the listener rule's header when it has one. */
export interface SmokeTarget {
  /** e.g. `https://stg-api.example.com/healthcheck`. Previews: `{host}` stands for the preview's host. */
  readonly url: string;
  /** The listener rule's header condition: its name, and where its value is kept (never the value). */
  readonly header?: { readonly name: string; readonly valueFrom: string };
}

/** Why there is no smoke test (a whole line for the build log, after "warning: "). */
export interface SmokeSkip {
  readonly skip: string;
}

export type SmokeTest = SmokeTarget | SmokeSkip;

export const isSmokeSkip = (smokeTest: SmokeTest): smokeTest is SmokeSkip => 'skip' in smokeTest;

/**
 * The buildspec `env` entries that resolve the header's value at build start: a Secrets Manager
 * reference (`<arn>[:json-key[:stage[:id]]]`, as CodeBuild and ECS read it) under `secrets-manager`,
 * an SSM parameter (name or ARN) under `parameter-store`. CodeBuild masks both in the build log.
 */
export function accessHeaderEnvironment(smokeTest: SmokeTest | undefined): { 'secrets-manager'?: Record<string, string>; 'parameter-store'?: Record<string, string> } {
  if (smokeTest === undefined || isSmokeSkip(smokeTest) || smokeTest.header === undefined) return {};
  const reference = smokeTest.header.valueFrom;
  return /^arn:[^:]+:secretsmanager:/.test(reference) ? { 'secrets-manager': { [ACCESS_HEADER_VALUE]: reference } } : { 'parameter-store': { [ACCESS_HEADER_VALUE]: reference } };
}

/** What is wrong with a smoke test (a URL with `{host}` allowed when `template`); empty when nothing is. */
export function smokeTestProblems(smokeTest: SmokeTest | undefined, template = false): string[] {
  if (smokeTest === undefined) return [];
  if (isSmokeSkip(smokeTest)) return /^[^\0-\x1f\x7f]+$/.test(smokeTest.skip) && !/[$%]\{/.test(smokeTest.skip) ? [] : [`smokeTest.skip: must be a single line without "\${" (got ${JSON.stringify(smokeTest.skip)})`];
  const problems: string[] = [];
  const host = template ? '(?:\\{host\\}|[A-Za-z0-9.-]+)' : '[A-Za-z0-9.-]+';
  // no braces (other than {host}): the text can hold no "${" or "%{"; quotes are the shell's to quote
  if (!new RegExp(`^https?://${host}(?::\\d{1,5})?/[^\\s{}\\x00-\\x1f\\x7f]*$`).test(smokeTest.url)) {
    problems.push(`smokeTest.url: must be an http(s) URL with a host name and a path, without spaces or braces${template ? ' (other than {host})' : ''} (got ${JSON.stringify(smokeTest.url)})`);
  }
  if (smokeTest.header !== undefined) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(smokeTest.header.name)) problems.push(`smokeTest.header.name: must be an HTTP header name (got ${JSON.stringify(smokeTest.header.name)})`);
    // never the value: a reference is printable, a value in its place is the secret itself
    if (!SECRET_REFERENCE.test(smokeTest.header.valueFrom)) problems.push('smokeTest.header.valueFrom: must be a Secrets Manager secret ARN or an SSM parameter (ARN or "/name"), never the value');
  }
  return problems;
}

/**
 * The check, as bash. Inputs (variables):
 * - DEPLOY_REGION, DEPLOY_CLUSTER, DEPLOY_SERVICE: the service.
 * - DEPLOY_TASK_DEFINITION, DEPLOY_ID: the revision ARN this deploy started and its deployment's ID
 *   (the ID may be empty: then only the revision is compared).
 * - DEPLOY_PREVIOUS_TASK_DEFINITION: what the service ran before this deploy ("None" or empty: nothing).
 * - DEPLOY_TIMEOUT: seconds the rollout may take (pipeline.waitTimeoutSeconds).
 * - DEPLOY_SMOKE_URL, or DEPLOY_SMOKE_SKIP (why there is none); DEPLOY_HEADER_NAME and
 *   STG_ACCESS_HEADER_VALUE when the listener rule wants a header.
 * - DEPLOY_IMAGE_TAG, DEPLOY_PREVIOUS_IMAGE_DIGEST, DEPLOY_ECR_REGION, DEPLOY_ECR_REGISTRY,
 *   DEPLOY_ECR_REPOSITORY: staging's mutable tag and the digest it named before this build, put back
 *   before a rollback (optional: previews run a tag of their own per build).
 * Progress goes to stdout as "deploy: …"; a failure is one line on stderr, "deploy failed: …", exit 1.
 */
export function deployCheckScript(): string {
  return `say() { printf '%s\\n' "deploy: $*"; }
fail() { printf '%s\\n' "deploy failed: $*" >&2; exit 1; }
# arn:aws:ecs:<region>:<account>:task-definition/stg-server:8 -> stg-server:8
revision() { basename -- "$1"; }
work="$(mktemp -d)" || fail "mktemp failed"
trap 'rm -rf "$work"' EXIT
deploy_id="$DEPLOY_ID"
case "$deploy_id" in None) deploy_id= ;; esac

# One look at the service: its PRIMARY deployment, how many deployments it has, and its counts.
look() {
  local line
  line="$(aws ecs describe-services --region "$DEPLOY_REGION" --cluster "$DEPLOY_CLUSTER" --services "$DEPLOY_SERVICE" \\
    --query 'services[0].[deployments[?status==\`PRIMARY\`] | [0].id, deployments[?status==\`PRIMARY\`] | [0].taskDefinition, deployments[?status==\`PRIMARY\`] | [0].rolloutState, length(deployments), desiredCount, runningCount, deployments[?status==\`PRIMARY\`] | [0].rolloutStateReason]' \\
    --output text)" || return 1
  IFS=$'\\t' read -r id definition state count desired running reason <<< "$line"
}

# Waits until the PRIMARY deployment $1 (may be empty) on revision $2 has COMPLETED and is alone.
# 0: done. 1: failed or turned back (why says how). 2: not done within DEPLOY_TIMEOUT seconds, by the
# clock or by the number of looks (one every ${POLL_SECONDS} s), whichever comes first.
await_rollout() {
  local want_id="$1" want="$2" started now summary last= looks=0
  started="$(date +%s)"
  while true; do
    looks=$((looks + 1))
    look || { why="aws ecs describe-services failed"; return 1; }
    now="$(date +%s)"
    if [ -z "$id" ] || [ "$id" = None ]; then
      summary="no PRIMARY deployment yet"
    elif [ "$definition" != "$want" ] || { [ -n "$want_id" ] && [ "$id" != "$want_id" ]; }; then
      why="the PRIMARY deployment is now $id on $(revision "$definition"), not this deploy's $(revision "$want")$([ -z "$want_id" ] || printf ' (%s)' "$want_id"): the circuit breaker rolled it back, or another deploy replaced it"
      case "$reason" in '' | None) ;; *) why="$why ($reason)" ;; esac
      return 1
    elif [ "$state" = FAILED ]; then
      why="the rollout to $(revision "$want") FAILED: $reason ($running of $desired running)"
      return 1
    elif [ "$count" = 1 ] && { [ "$state" = COMPLETED ] || { [ "$state" = None ] && [ "$running" = "$desired" ]; }; }; then
      say "$(revision "$want"): rollout COMPLETED, $running of $desired running, after $((now - started)) s"
      return 0
    else
      summary="$state, $running of $desired running, $((count - 1)) older deployment(s) draining"
    fi
    [ "$summary" = "$last" ] || say "  $((now - started)) s: $summary"
    last="$summary"
    if [ $((now - started + ${POLL_SECONDS})) -gt "$DEPLOY_TIMEOUT" ] || [ $((looks * ${POLL_SECONDS})) -gt "$DEPLOY_TIMEOUT" ]; then
      why="the rollout to $(revision "$want") did not complete within $DEPLOY_TIMEOUT s (pipeline.waitTimeoutSeconds); last seen: $summary; ECS goes on trying"
      return 2
    fi
    sleep ${POLL_SECONDS}
  done
}

# GET the smoke test URL until it answers 2xx: at most ${SMOKE_ATTEMPTS} tries, each bounded by --max-time.
# (The write-out format is quoted in two parts so that the text holds no "%" before "{".)
smoke() {
  local try=1 code
  while true; do
    if [ -n "$DEPLOY_HEADER_NAME" ]; then
      code="$(curl --silent --show-error --output /dev/null --write-out '%''{http_code}' --max-time ${SMOKE_MAX_TIME_SECONDS} --header @"$work/header" "$DEPLOY_SMOKE_URL" 2>"$work/curl")"
    else
      code="$(curl --silent --show-error --output /dev/null --write-out '%''{http_code}' --max-time ${SMOKE_MAX_TIME_SECONDS} "$DEPLOY_SMOKE_URL" 2>"$work/curl")"
    fi
    case "$code" in
      2[0-9][0-9]) say "smoke test: $DEPLOY_SMOKE_URL answered $code (try $try of ${SMOKE_ATTEMPTS})"; return 0 ;;
      '' | 000) answer="did not answer ($(tail -n 1 "$work/curl"))" ;;
      *) answer="answered $code" ;;
    esac
    say "smoke test: $DEPLOY_SMOKE_URL $answer (try $try of ${SMOKE_ATTEMPTS})"
    [ "$try" -lt ${SMOKE_ATTEMPTS} ] || return 1
    try=$((try + 1))
    sleep ${SMOKE_RETRY_SECONDS}
  done
}

# Staging's image tag is mutable: the revision that ran before names the same tag, so the tag goes back
# on the image it named before this build first (ECR User Guide, "Retagging an image": the manifest put
# again under the tag), and only then does the service start that revision again.
restore_tag() {
  local manifest media
  case "$DEPLOY_PREVIOUS_IMAGE_DIGEST" in '' | None) return 0 ;; esac
  say "rolling back: $DEPLOY_IMAGE_TAG back on $DEPLOY_PREVIOUS_IMAGE_DIGEST, the image it named before this build"
  manifest="$(aws ecr batch-get-image --region "$DEPLOY_ECR_REGION" --registry-id "$DEPLOY_ECR_REGISTRY" --repository-name "$DEPLOY_ECR_REPOSITORY" \\
    --image-ids imageDigest="$DEPLOY_PREVIOUS_IMAGE_DIGEST" --query 'images[0].imageManifest' --output text)" || { why="could not read $DEPLOY_PREVIOUS_IMAGE_DIGEST from ECR"; return 1; }
  case "$manifest" in '' | None) why="$DEPLOY_PREVIOUS_IMAGE_DIGEST is no longer in ECR"; return 1 ;; esac
  media="$(aws ecr batch-get-image --region "$DEPLOY_ECR_REGION" --registry-id "$DEPLOY_ECR_REGISTRY" --repository-name "$DEPLOY_ECR_REPOSITORY" \\
    --image-ids imageDigest="$DEPLOY_PREVIOUS_IMAGE_DIGEST" --query 'images[0].imageManifestMediaType' --output text)" || { why="could not read $DEPLOY_PREVIOUS_IMAGE_DIGEST from ECR"; return 1; }
  if [ -z "$media" ] || [ "$media" = None ]; then
    aws ecr put-image --region "$DEPLOY_ECR_REGION" --registry-id "$DEPLOY_ECR_REGISTRY" --repository-name "$DEPLOY_ECR_REPOSITORY" \\
      --image-tag "$DEPLOY_IMAGE_TAG" --image-manifest "$manifest" > /dev/null 2> "$work/put-image"
  else
    aws ecr put-image --region "$DEPLOY_ECR_REGION" --registry-id "$DEPLOY_ECR_REGISTRY" --repository-name "$DEPLOY_ECR_REPOSITORY" \\
      --image-tag "$DEPLOY_IMAGE_TAG" --image-manifest "$manifest" --image-manifest-media-type "$media" > /dev/null 2> "$work/put-image"
  fi
  # the tag already names that image (the build made the same digest): nothing to put back
  [ $? -eq 0 ] || grep -q ImageAlreadyExistsException "$work/put-image" || { why="could not put $DEPLOY_IMAGE_TAG back on it: $(tail -n 1 "$work/put-image")"; return 1; }
}

# The smoke test failed ($1 says how): back to the revision that ran before this deploy, wait, fail.
roll_back() {
  local problem="$1" previous="$DEPLOY_PREVIOUS_TASK_DEFINITION" rollback_id
  case "$previous" in '' | None) fail "$problem; no revision ran before this deploy, so there is nothing to roll back to" ;; esac
  restore_tag || fail "$problem; the rollback to $(revision "$previous") stopped: $why"
  say "rolling back: $DEPLOY_SERVICE to $(revision "$previous"), the revision that ran before this deploy"
  rollback_id="$(aws ecs update-service --region "$DEPLOY_REGION" --cluster "$DEPLOY_CLUSTER" --service "$DEPLOY_SERVICE" --task-definition "$previous" \\
    --force-new-deployment --query 'service.deployments[?status==\`PRIMARY\`] | [0].id' --output text)" || fail "$problem; the rollback to $(revision "$previous") failed: update-service was refused"
  case "$rollback_id" in None) rollback_id= ;; esac
  if await_rollout "$rollback_id" "$previous"; then fail "$problem; rolled back to $(revision "$previous")"; fi
  fail "$problem; the rollback to $(revision "$previous") did not complete: $why"
}

say "waiting for $(revision "$DEPLOY_TASK_DEFINITION") on $DEPLOY_SERVICE: at most $DEPLOY_TIMEOUT s, a look every ${POLL_SECONDS} s"
await_rollout "$deploy_id" "$DEPLOY_TASK_DEFINITION" || fail "$why"
if [ -z "$DEPLOY_SMOKE_URL" ]; then say "warning: $DEPLOY_SMOKE_SKIP"; exit 0; fi
if [ "$desired" = 0 ]; then say "warning: smoke test skipped: the service runs 0 tasks (asleep outside its working hours, or waiting for the masking job), so nothing would answer"; exit 0; fi
if [ -n "$DEPLOY_HEADER_NAME" ]; then
  [ -n "$${ACCESS_HEADER_VALUE}" ] || fail "the listener rule wants the header $DEPLOY_HEADER_NAME, but its value (${ACCESS_HEADER_VALUE}) is empty"
  printf '%s: %s\\n' "$DEPLOY_HEADER_NAME" "$${ACCESS_HEADER_VALUE}" > "$work/header"
fi
smoke || roll_back "the smoke test of $DEPLOY_SMOKE_URL $answer after ${SMOKE_ATTEMPTS} tries"
`;
}
