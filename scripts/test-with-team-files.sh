#!/usr/bin/env bash
# The CI guard (docs/getting-started.md, step 4, "Run it in your own CI"): `npm test` once more, as a team runs it, in a copy of this
# checkout whose environments/ holds the team-like files of __tests__/fixtures/team (other accounts,
# regions and features) instead of none, so the examples are not what synth reads.
# Usage: scripts/test-with-team-files.sh [fixture directory]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="${1:-$root/__tests__/fixtures/team}"
copy="$(mktemp -d "${TMPDIR:-/tmp}/stg-team-checkout-XXXXXX")"
trap 'rm -rf "$copy"' EXIT
# The checkout as committed or changed, without what it built; node_modules is the same install.
tar -C "$root" --exclude=./node_modules --exclude=./cdktf.out --exclude=./.git --exclude=./reports --exclude=./.stryker-tmp -cf - . | tar -C "$copy" -xf -
ln -s "$root/node_modules" "$copy/node_modules"
find "$copy/environments" -maxdepth 1 -name '*.json' ! -name '*.schema.json' -delete
cp "$fixtures"/*.json "$copy/environments/"
echo "npm test with environments/ holding: $(cd "$copy/environments" && ls -- *.json | grep -v '\.schema\.json$' | tr '\n' ' ')"
cd "$copy"
npm test
