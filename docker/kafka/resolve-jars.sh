#!/usr/bin/env bash
# Rewrites jars.lock from pom.xml: the runtime dependency tree Maven resolves, with each jar's sha256.
# Needs Maven and network access; the image build itself needs neither Maven nor a JDK to resolve.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(mktemp -d)"
trap 'rm -rf "$repo"' EXIT
mvn -q -B -f "$here/pom.xml" -Dmaven.repo.local="$repo" dependency:list \
  -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true -DoutputFile="$repo/list.txt" >/dev/null
{
  sed -n '1,3p' "$here/jars.lock"
  grep -o "$repo/[^ ]*\.jar" "$repo/list.txt" | sort | while read -r jar; do
    echo "$(sha256sum "$jar" | cut -c1-64) ${jar#"$repo/"}"
  done
} > "$here/jars.lock.new"
mv "$here/jars.lock.new" "$here/jars.lock"
echo "jars.lock: $(grep -vc '^#' "$here/jars.lock") jars"
