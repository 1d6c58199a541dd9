#!/bin/sh
# Downloads every jar of a lock file (default: /build/jars.lock, as in the image's build stage)
# from Maven Central into $1 and checks its sha256. A jar already there with the right sum is kept.
set -eu
dest="$1"
lock="${2:-/build/jars.lock}"
mkdir -p "$dest"
grep -v '^#' "$lock" | while read -r sum path; do
  if [ -f "$dest/$(basename "$path")" ] && echo "$sum  $dest/$(basename "$path")" | sha256sum -c --quiet - 2>/dev/null; then continue; fi
  file="$dest/$(basename "$path")"
  curl -fsSL --retry 3 -o "$file" "https://repo1.maven.org/maven2/$path"
  echo "$sum  $file" | sha256sum -c --quiet -
done
