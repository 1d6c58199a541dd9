#!/bin/sh
# Downloads every jar in jars.lock from Maven Central into $1 and checks its sha256 (runs in the build stage).
set -eu
dest="$1"
mkdir -p "$dest"
grep -v '^#' /build/jars.lock | while read -r sum path; do
  file="$dest/$(basename "$path")"
  curl -fsSL --retry 3 -o "$file" "https://repo1.maven.org/maven2/$path"
  echo "$sum  $file" | sha256sum -c --quiet -
done
