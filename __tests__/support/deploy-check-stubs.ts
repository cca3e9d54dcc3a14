import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Stubs for the deploy check (src/pipeline/deploy-check.ts), put first on PATH (RunOptions.stubDir)
 * before the CodeBuild stand-in's own. Each records its call as the stand-in's stubs do, then answers
 * from the build's variables:
 *
 * - `aws ecs describe-services`: the revision before the deploy (STUB_PREVIOUS) for the
 *   `services[0].taskDefinition` query, the PRIMARY deployment right after a preview's apply
 *   (STUB_STARTED), and for the wait's looks one line of STUB_LOOKS per call, the last one repeated.
 *   A look is the text output of the wait's query: id, revision, rollout state, deployments, desired,
 *   running, reason, tab-separated.
 * - `aws ecs update-service`: the deploy's revision and deployment (STUB_UPDATE), or with a revision
 *   ARN (a rollback) the new deployment's ID (STUB_ROLLBACK_ID).
 * - `aws ecr describe-images` (STUB_IMAGE_DIGEST; "missing": ImageNotFoundException), `batch-get-image`
 *   and `put-image` (STUB_PUT_IMAGE_ERROR: fails with that error).
 * - `curl --write-out …`: one code of STUB_CURL per call (space-separated, the last one repeated; "000"
 *   is a timeout), the header file's contents recorded as a last argument "<header>…".
 * - `date +%s` and `sleep N`: a clock of the build's own, starting at STUB_EPOCH, that only `sleep` moves.
 * Any other `aws` or `curl` call goes to the stand-in's stub, next on PATH.
 */

export const PREVIOUS = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/stg-server:7';
export const NEW = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/stg-server:8';
export const DEPLOYMENT = 'ecs-svc/8888888888888888888';
export const ROLLBACK_DEPLOYMENT = 'ecs-svc/7777777777777777777';
export const PREVIOUS_DIGEST = `sha256:${'a'.repeat(64)}`;
export const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"sha256:c0"}}';
export const MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

/** One look of the wait, as `aws ecs describe-services --output text` prints the query's list. */
export function look(state: { id?: string; definition?: string; rollout?: string; deployments?: number; desired?: number; running?: number; reason?: string } = {}): string {
  return [
    state.id ?? DEPLOYMENT,
    state.definition ?? NEW,
    state.rollout ?? 'COMPLETED',
    state.deployments ?? 1,
    state.desired ?? 1,
    state.running ?? state.desired ?? 1,
    state.reason ?? `ECS deployment ${state.id ?? DEPLOYMENT} ${(state.rollout ?? 'COMPLETED').toLowerCase()}.`,
  ].join('\t');
}

const RECORD = `record() {
  local line="$1"; shift
  for arg in "$@"; do line+=$'\\t'"$arg"; done
  printf '%s\\n' "$line" >> "$STUB_LOG"
}
stub_fail() { [ -n "\${STUB_FAIL:-}" ] && [[ "$1" == *"$STUB_FAIL"* ]]; }
# the next entry of a list (one per line, or per word), the last one repeated; $2 counts the calls
next_of() {
  local n; n="$(cat "$HOME/.$2" 2>/dev/null || echo 0)"; echo $((n + 1)) > "$HOME/.$2"
  local -a items; mapfile -t items <<< "$1"
  [ "$n" -lt "\${#items[@]}" ] || n=$((\${#items[@]} - 1))
  printf '%s' "\${items[$n]}"
}
`;

const AWS = `#!/usr/bin/env bash
${RECORD}
call="aws $*"
case "$call" in
  'aws ecs describe-services'* | 'aws ecs update-service'* | 'aws ecr describe-images'* | 'aws ecr batch-get-image'* | 'aws ecr put-image'*) ;;
  *) PATH="\${PATH#*:}" exec aws "$@" ;;
esac
record aws "$@"
if stub_fail "$call"; then echo "aws: failing as the test asked" >&2; exit 1; fi
case "$call" in
  *"--query services[0].taskDefinition "*) printf '%s\\n' "\${STUB_PREVIOUS:-${PREVIOUS}}" ;;
  *'--query services[0].deployments[?status==\`PRIMARY\`] | [0].[id, taskDefinition] '*) printf '%s\\n' "\${STUB_STARTED:-${DEPLOYMENT}\t${NEW}}" ;;
  'aws ecs describe-services'*) printf '%s\\n' "$(next_of "\${STUB_LOOKS:-${look()}}" looks)" ;;
  'aws ecs update-service'*'task-definition/'*) printf '%s\\n' "\${STUB_ROLLBACK_ID:-${ROLLBACK_DEPLOYMENT}}" ;;
  'aws ecs update-service'*) printf '%s\\n' "\${STUB_UPDATE:-${NEW}\t${DEPLOYMENT}}" ;;
  'aws ecr describe-images'*)
    if [ "\${STUB_IMAGE_DIGEST:-}" = missing ]; then
      echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:'stg'} does not exist" >&2; exit 254
    fi
    printf '%s\\n' "\${STUB_IMAGE_DIGEST:-${PREVIOUS_DIGEST}}" ;;
  *imageManifestMediaType*) printf '%s\\n' '${MEDIA_TYPE}' ;;
  'aws ecr batch-get-image'*) printf '%s\\n' '${MANIFEST}' ;;
  'aws ecr put-image'*) if [ -n "\${STUB_PUT_IMAGE_ERROR:-}" ]; then echo "An error occurred ($STUB_PUT_IMAGE_ERROR) when calling the PutImage operation: as the test asked" >&2; exit 254; fi ;;
esac
`;

const CURL = `#!/usr/bin/env bash
${RECORD}
case " $* " in *' --write-out '*) ;; *) PATH="\${PATH#*:}" exec curl "$@" ;; esac
header=; prev=
for arg in "$@"; do
  if [ "$prev" = --header ] && [ "\${arg:0:1}" = @ ]; then header="$(cat "\${arg:1}")"; fi
  prev="$arg"
done
if [ -n "$header" ]; then record curl "$@" "<header>$header"; else record curl "$@"; fi
code="$(next_of "$(printf '%s\\n' \${STUB_CURL:-200})" curl)"
if [ "$code" = 000 ]; then echo "curl: (28) Connection timed out after 10001 milliseconds" >&2; printf 000; exit 28; fi
printf '%s' "$code"
`;

const DATE = `#!/usr/bin/env bash
${RECORD}
if [ "$*" != '+%s' ]; then exec /bin/date "$@"; fi
record date "$@"
cat "$HOME/.clock" 2>/dev/null || printf '%s\\n' "$STUB_EPOCH"
`;

const SLEEP = `#!/usr/bin/env bash
${RECORD}
record sleep "$@"
now="$(cat "$HOME/.clock" 2>/dev/null || printf '%s' "$STUB_EPOCH")"
echo $((now + $1)) > "$HOME/.clock"
`;

const STUBS = { aws: AWS, curl: CURL, date: DATE, sleep: SLEEP };

/**
 * Writes the stubs into a new directory; pass it as RunOptions.stubDir, and remove it with `dispose`.
 * `only` writes some of them (e.g. `curl` and `sleep` beside the real AWS CLI against the emulator).
 */
export function deployCheckStubs(only: readonly (keyof typeof STUBS)[] = Object.keys(STUBS) as (keyof typeof STUBS)[]): { dir: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-deploy-stubs-'));
  for (const name of only) fs.writeFileSync(path.join(dir, name), STUBS[name], { mode: 0o755 });
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
