#!/usr/bin/env bash
# The previews' CodeBuild job (its buildspec is generated from the environment file, see
# src/pipeline/preview-buildspec.ts). It runs from this repository checked out at the reviewed commit
# the staging stack pins (a secondary source): the pull request's own code is only ever built into an
# image, never run here, so it cannot change the infrastructure it is deployed with.
#
#   pull request opened, updated, reopened  → build and push pr-<n> and pr-<n>.<epoch>, apply <env>-pr-<n>
#   pull request merged or closed           → destroy <env>-pr-<n>
#   PREVIEW_ACTION=reap (the daily schedule) → destroy previews idle for PREVIEW_TTL_DAYS, and those
#                                              whose destroy failed (a ".closed" marker is left behind)
#   PREVIEW_ACTION=destroy PREVIEW_NUMBER=<n> → destroy one (npm run previews -- destroy <n> does this locally)
#
# After an apply, the deploy check (src/pipeline/deploy-check.ts, as staging's buildspec runs it): a
# bounded wait for the service's rollout that fails when the circuit breaker turned it back, a smoke
# test of the preview's URL through the production ALB, and a rollback to the revision that ran before
# when that does not answer 2xx. A buildspec without PREVIEW_CLUSTER (made before the check) skips it.
set -euo pipefail

: "${PREVIEW_ENVIRONMENT:?}" "${PREVIEW_STATE_BUCKET:?}" "${PREVIEW_STATE_PREFIX:?}" "${PREVIEW_REPOSITORY_URL:?}"
: "${PREVIEW_REGION:?}" "${PREVIEW_TTL_DAYS:?}" "${PREVIEW_INFRA_DIR:?}"
trusted=" ${PREVIEW_TRUSTED_ACTORS:-} "
app_dir="${CODEBUILD_SRC_DIR:-$PWD}"

say() { printf 'preview: %s\n' "$*"; }
fail() { printf 'preview: %s\n' "$*" >&2; exit 1; }

stack_of() { printf '%s-pr-%s' "$PREVIEW_ENVIRONMENT" "$1"; }
stack_dir() { printf '%s/cdktf.out/stacks/%s' "$PREVIEW_INFRA_DIR" "$(stack_of "$1")"; }
marker() { printf '%s/pr-%s.closed' "$PREVIEW_STATE_PREFIX" "$1"; }

# The preview's stack, synthesized by the pinned kit: the same checks as any synth, then terraform init.
synth_and_init() {
  (cd "$PREVIEW_INFRA_DIR" && npm run --silent synth -- --preview "$PREVIEW_ENVIRONMENT" "$1")
  terraform -chdir="$(stack_dir "$1")" init -input=false -no-color
}

# A value of the preview.json synth writes beside the stack (host, priorities, listener).
preview_value() { node -e 'const p = require(process.argv[1]); const v = p[process.argv[2]]; console.log(Array.isArray(v) ? v.join(" ") : (v ?? ""))' "$(stack_dir "$1")/preview.json" "$2"; }

# Listener rule priorities are derived from the number (never "max + 1"); a slot another preview holds
# is refused here, before anything is created, rather than by the ALB halfway through an apply.
check_slot() {
  local number="$1" listener priority taken
  listener="$(preview_value "$number" listenerArn)"
  if [ -z "$listener" ]; then say "listener looked up at plan time: slot check left to the ALB"; return 0; fi
  if terraform -chdir="$(stack_dir "$number")" state list 2>/dev/null | grep -q 'aws_alb_listener_rule\.'; then return 0; fi
  for priority in $(preview_value "$number" priorities); do
    taken="$(aws elbv2 describe-rules --region "$PREVIEW_REGION" --listener-arn "$listener" \
      --query "Rules[?Priority=='$priority'].RuleArn" --output text)"
    if [ -n "$taken" ] && [ "$taken" != "None" ]; then
      fail "PR $number gets no preview: listener priority $priority, its slot in the band, is taken by $taken (another open preview: close it, or raise previews.maxOpen)"
    fi
  done
}

# docker build's arguments: the write-up's Go build when the pull request's source has the Go version
# file (PREVIEW_GO_VERSION_FILE, as staging's buildspec decides it), then pipeline.buildArgs, one
# NAME=value per line of PREVIEW_BUILD_ARGS, each one argument whatever it holds.
build_args=()
collect_build_args() {
  local number="$1" file="${PREVIEW_GO_VERSION_FILE:-.go-version}" version arg
  if [ -f "$app_dir/$file" ]; then
    version="$(tr -d '[:space:]' < "$app_dir/$file")"
    [ -n "$version" ] || fail "PR $number gets no preview: $file is empty"
    build_args+=(--build-arg "GO_VERSION=$version")
  else
    say "no $file in the source: docker build without GO_VERSION"
  fi
  while IFS= read -r arg; do
    [ -z "$arg" ] || build_args+=(--build-arg "$arg")
  done <<< "${PREVIEW_BUILD_ARGS:-}"
}

# The service's revision now ("None" before its first apply): what a failed smoke test rolls back to.
running_revision() {
  aws ecs describe-services --region "$PREVIEW_REGION" --cluster "$PREVIEW_CLUSTER" --services "$1" --query 'services[0].taskDefinition' --output text
}

# The wait, smoke test and rollback after an apply. The deployment the apply started is the PRIMARY one
# right after it (the circuit breaker turns a rollout back only after several tasks have failed).
check_deploy() {
  local number="$1" service="$2" previous="$3" started id definition url script
  started="$(aws ecs describe-services --region "$PREVIEW_REGION" --cluster "$PREVIEW_CLUSTER" --services "$service" \
    --query 'services[0].deployments[?status==`PRIMARY`] | [0].[id, taskDefinition]' --output text)"
  read -r id definition <<< "$started"
  url="${PREVIEW_SMOKE_URL:-}"
  url="${url//'{host}'/$(preview_value "$number" host)}"
  script="$(mktemp)"
  node -r "$PREVIEW_INFRA_DIR/scripts/register-ts.js" "$PREVIEW_INFRA_DIR/scripts/deploy-check.ts" > "$script"
  DEPLOY_REGION="$PREVIEW_REGION" DEPLOY_CLUSTER="$PREVIEW_CLUSTER" DEPLOY_SERVICE="$service" \
    DEPLOY_TASK_DEFINITION="$definition" DEPLOY_ID="$id" DEPLOY_PREVIOUS_TASK_DEFINITION="$previous" \
    DEPLOY_TIMEOUT="${PREVIEW_WAIT_TIMEOUT_SECONDS:-600}" DEPLOY_SMOKE_URL="$url" DEPLOY_SMOKE_SKIP="${PREVIEW_SMOKE_SKIP:-}" \
    DEPLOY_HEADER_NAME="${PREVIEW_ACCESS_HEADER_NAME:-}" bash "$script" || { rm -f "$script"; exit 1; }
  rm -f "$script"
}

deploy() {
  local number="$1" image epoch service="" previous=""
  case "$trusted" in
    *" ${CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID:-none} "*) ;;
    *) say "no preview for PR $number: GitHub user ${CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID:-unknown} is not in previews.trustedActors"; return 0 ;;
  esac
  synth_and_init "$number"
  check_slot "$number"
  collect_build_args "$number"
  if [ -n "${PREVIEW_CLUSTER:-}" ]; then
    service="$PREVIEW_SERVICE_PREFIX$number"
    previous="$(running_revision "$service")"
  fi
  image="$PREVIEW_REPOSITORY_URL:pr-$number"
  epoch="$(date +%s)"
  aws ecr get-login-password --region "$PREVIEW_REGION" | docker login --username AWS --password-stdin "${PREVIEW_REPOSITORY_URL%%/*}"
  docker build ${build_args[@]+"${build_args[@]}"} -t "$image" -t "$image.$epoch" "$app_dir"
  docker push "$image"
  docker push "$image.$epoch"
  # Two pushes to one PR: the S3 state lock serializes their applies (the second waits, then rolls forward).
  terraform -chdir="$(stack_dir "$number")" apply -input=false -no-color -auto-approve -lock-timeout=15m \
    -var "deployed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)" -var "image_tag=pr-$number.$epoch"
  aws s3api delete-object --bucket "$PREVIEW_STATE_BUCKET" --key "$(marker "$number")" >/dev/null
  if [ -n "$service" ]; then check_deploy "$number" "$service" "$previous"; else say "PR $number: no deploy check (this project's buildspec predates it: apply the staging stack)"; fi
  say "PR $number is live: https://$(preview_value "$number" host)"
}

destroy() {
  local number="$1"
  synth_and_init "$number"
  # Marked first: if the destroy stops halfway, the next event or the reaper finishes it.
  aws s3api put-object --bucket "$PREVIEW_STATE_BUCKET" --key "$(marker "$number")" >/dev/null
  terraform -chdir="$(stack_dir "$number")" destroy -input=false -no-color -auto-approve -lock-timeout=15m
  aws s3api delete-object --bucket "$PREVIEW_STATE_BUCKET" --key "$(marker "$number")" >/dev/null
  say "PR $number: preview destroyed"
}

# Previews by their state objects: pr-<n>.tfstate (written on every apply) and pr-<n>.closed markers.
reap() {
  local now cutoff key modified number failed=0
  now="$(date +%s)"
  cutoff=$((now - PREVIEW_TTL_DAYS * 86400))
  declare -A due=()
  while IFS=$'\t' read -r key modified; do
    [ -n "$key" ] && [ "$key" != "None" ] || continue
    number="${key##*/pr-}"
    number="${number%%.*}"
    [[ "$number" =~ ^[0-9]+$ ]] || continue
    case "$key" in
      *.closed) due[$number]="its destroy did not finish" ;;
      *.tfstate) if [ "$(date -d "$modified" +%s)" -lt "$cutoff" ]; then due[$number]="${due[$number]:-idle for more than $PREVIEW_TTL_DAYS days}"; fi ;;
    esac
  done < <(aws s3api list-objects-v2 --bucket "$PREVIEW_STATE_BUCKET" --prefix "$PREVIEW_STATE_PREFIX/" \
    --query 'Contents[].[Key,LastModified]' --output text)
  if [ "${#due[@]}" -eq 0 ]; then say "nothing to reap"; return 0; fi
  for number in $(printf '%s\n' "${!due[@]}" | sort -n); do
    say "reaping PR $number: ${due[$number]}"
    ( destroy "$number" ) || { failed=1; say "PR $number: destroy failed; the next run tries again"; }
  done
  return "$failed"
}

number_of_trigger() {
  # CODEBUILD_WEBHOOK_TRIGGER is "pr/<number>" for pull request events.
  local number="${CODEBUILD_WEBHOOK_TRIGGER:-}"
  number="${number#pr/}"
  [[ "$number" =~ ^[0-9]{1,9}$ ]] || fail "not a pull request build (CODEBUILD_WEBHOOK_TRIGGER=${CODEBUILD_WEBHOOK_TRIGGER:-unset})"
  printf '%s' "$number"
}

case "${PREVIEW_ACTION:-}" in
  reap) reap ;;
  destroy) [[ "${PREVIEW_NUMBER:-}" =~ ^[0-9]{1,9}$ ]] || fail "PREVIEW_NUMBER must be a pull request number"; destroy "$PREVIEW_NUMBER" ;;
  '')
    case "${CODEBUILD_WEBHOOK_EVENT:-}" in
      PULL_REQUEST_CREATED | PULL_REQUEST_UPDATED | PULL_REQUEST_REOPENED) number="$(number_of_trigger)" && deploy "$number" ;;
      PULL_REQUEST_MERGED | PULL_REQUEST_CLOSED) number="$(number_of_trigger)" && destroy "$number" ;;
      *) fail "no preview action for the event '${CODEBUILD_WEBHOOK_EVENT:-}'" ;;
    esac
    ;;
  *) fail "unknown PREVIEW_ACTION '$PREVIEW_ACTION' (reap or destroy)" ;;
esac
