#!/usr/bin/env bash
# Regenerates the typed TypeScript clients of the mock systems from their OpenAPI contracts
# into mock-systems/<system>/client/. The output is committed, so only people who change a
# contract need Java; everyone else imports the committed clients.
#
#   scripts/generate-clients.sh           regenerate all clients
#   scripts/generate-clients.sh --check   regenerate, then fail if the result differs from git
#
# The generator version is pinned in openapitools.json; its jar is fetched from Maven Central
# into the CLI's storage directory (node_modules/@openapitools/openapi-generator-cli/versions/)
# on first use.
set -euo pipefail

cd "$(dirname "$0")/.."
SYSTEMS=(crm erp partner)

if ! command -v java >/dev/null 2>&1; then
  echo "generate-clients: Java 11 or newer is needed to run OpenAPI Generator (java not found on PATH)." >&2
  echo "The generated clients are committed in mock-systems/*/client/; you only need Java to change a contract." >&2
  exit 2
fi

GENERATOR=node_modules/.bin/openapi-generator-cli
if [ ! -x "$GENERATOR" ]; then
  echo "generate-clients: $GENERATOR is missing; run 'npm ci' first." >&2
  exit 2
fi

# Options, and why:
#   supportsES6             Promise, Map and friends without polyfills.
#   importFileExtension=.js relative imports carry an extension, as NodeNext needs (TypeScript
#                           and tsx resolve ./x.js to ./x.ts).
#   withInterfaces          an interface per API class (ContactsApiInterface), to stub in tests.
#   apiDocs/modelDocs=false the contract and docs/<system>.md are the documentation.
ADDITIONAL=supportsES6=true,importFileExtension=.js,withInterfaces=true,useSingleRequestParameter=true

# The generated runtime.ts is written for the DOM library and a laxer compiler. This repository
# type-checks against Node's globals only, under strict + noUncheckedIndexedAccess +
# noImplicitOverride, so a few exact lines are rewritten. Each rewrite must match exactly once:
# if a new generator version changes the template, this fails loudly instead of drifting.
make_strict() {
  node --input-type=module - "$1" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
let text = readFileSync(file, 'utf8');
const rewrites = [
  // DOM-only names, expressed through the fetch types Node declares globally.
  ['export const BASE_PATH', "type RequestCredentials = NonNullable<RequestInit['credentials']>;\n\nexport const BASE_PATH"],
  ["export type FetchAPI = WindowOrWorkerGlobalScope['fetch'];", 'export type FetchAPI = (url: string, init: RequestInit) => Promise<Response>;'],
  // Error.cause exists in ES2022, so redeclaring it needs `override`.
  ['constructor(public cause: Error,', 'constructor(public override cause: Error,'],
  // After the catch block a response is always present (the catch rethrows otherwise), but the
  // compiler cannot follow that through the middleware loops.
  ['response: response.clone(),', 'response: response!.clone(),'],
  ["throw new ResponseError(response, 'Response returned an error code');", "throw new ResponseError(response!, 'Response returned an error code');"],
];
for (const [from, to] of rewrites) {
  const count = text.split(from).length - 1;
  if (count !== 1) {
    console.error(`generate-clients: expected exactly one '${from}' in ${file}, found ${count}; update make_strict in scripts/generate-clients.sh for this generator version.`);
    process.exit(1);
  }
  text = text.replace(from, () => to);
}
writeFileSync(file, text);
JS
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for system in "${SYSTEMS[@]}"; do
  contract="mock-systems/$system/openapi.yaml"
  out="mock-systems/$system/client"
  # Generated aside and swapped in whole: a schema removed from the contract leaves no stale
  # file behind, and a failed run leaves the committed client untouched.
  staged="$work/$system"
  if ! "$GENERATOR" generate \
      --input-spec "$contract" \
      --generator-name typescript-fetch \
      --output "$staged" \
      --additional-properties "$ADDITIONAL" \
      --global-property apiDocs=false,modelDocs=false,apiTests=false,modelTests=false \
      >"$work/$system.log" 2>&1; then
    cat "$work/$system.log" >&2
    echo "generate-clients: generating the $system client from $contract failed (output above); $out is unchanged." >&2
    exit 1
  fi
  make_strict "$staged/runtime.ts"
  rm -rf "$out"
  cp -R "$staged" "$out"
  echo "generated $out from $contract"
done

if [ "${1:-}" = "--check" ]; then
  changed=$(git status --porcelain -- $(printf 'mock-systems/%s/client ' "${SYSTEMS[@]}"))
  if [ -n "$changed" ]; then
    echo "" >&2
    echo "check:clients: the committed clients differ from what the contracts generate:" >&2
    echo "$changed" >&2
    echo "" >&2
    echo "Run 'npm run generate:clients' and commit mock-systems/*/client/ together with the contract change." >&2
    exit 1
  fi
  echo "check:clients: the committed clients match the contracts."
fi
