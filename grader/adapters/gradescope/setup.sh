#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image (Ubuntu, as root), with this
# bundle unpacked in /autograder/source. Written into the bundle by `lab export gradescope <lab>`.
set -euo pipefail
cd "$(dirname "$0")"

# Integration Lab needs Node.js 20.19 or newer; Ubuntu's own package is older.
NODE_VERSION=20.19.5
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)' 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl ca-certificates xz-utils >/dev/null
  curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz" | tar -xJ -C /usr/local --strip-components=1
fi

# The project's packages, exactly as locked; the embedded PostgreSQL comes with them.
npm ci --no-audit --no-fund
