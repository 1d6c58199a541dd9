#!/usr/bin/env bash
# Builds every image of the docker path on this machine, with no container registry:
#   base          Debian 13 (trixie) minbase from debootstrap, imported into Docker
#   node          Node.js from Debian's packages (the runtime of the two below)
#   mock-systems  the mock CRM, ERP and partner APIs
#   postgres      PostgreSQL 17 from Debian's packages
#   kafka         Apache Kafka 3.9.1 (KRaft) from Maven Central's jars on OpenJDK 21
#   submission    Node for one submission's run, nothing of the grader
# Packages come from Debian's mirror, npm's registry and Maven Central during the build.
# The base is made once and reused while its image exists (--rebuild-base makes it again); the
# other images go through Docker's layer cache, so a rebuild with nothing changed takes seconds.
# Names and tags: docker/images.env, each overridable by the variable of the same name.
#
# A machine whose way out goes through a TLS-inspecting proxy trusts that proxy's CA in
# /usr/local/share/ca-certificates; the base copies those certificates so builds trust it too
# (--ca-dir names another folder, --ca-dir '' copies none).
#
# Usage: scripts/build-images.sh [--rebuild-base] [--mirror <debian mirror URL>] [--ca-dir <dir>]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

rebuild_base=false
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ca_dir=/usr/local/share/ca-certificates
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild-base) rebuild_base=true ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift ;;
    --ca-dir) ca_dir="${2?--ca-dir needs a folder}"; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Defaults from images.env; a variable already set in the environment wins.
while IFS='=' read -r name value; do
  [[ "$name" =~ ^LAB_IMAGE_[A-Z_]+$ ]] || continue
  [ -n "${!name:-}" ] || export "$name=$value"
done < docker/images.env

if ! docker info >/dev/null 2>&1; then
  echo "build-images: no Docker engine answers (is dockerd running? 'apt-get install docker.io', then start dockerd as root)" >&2
  exit 1
fi

step() { printf '\n== %s (%s)\n' "$1" "$2"; }
started=$SECONDS

if $rebuild_base || ! docker image inspect "$LAB_IMAGE_BASE" >/dev/null 2>&1; then
  step base "$LAB_IMAGE_BASE"
  command -v debootstrap >/dev/null || { echo "build-images: debootstrap is missing ('apt-get install debootstrap')" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "build-images: debootstrap needs root to make the base image" >&2; exit 1; }
  rootfs="$(mktemp -d /var/tmp/integration-lab-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" >/dev/null
  cp docker/base/apt-docker.conf "$rootfs/etc/apt/apt.conf.d/90integration-lab"
  if [ -n "$ca_dir" ] && compgen -G "$ca_dir/*.crt" >/dev/null; then
    # Installed into the trust store when an image installs ca-certificates.
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp "$ca_dir"/*.crt "$rootfs/usr/local/share/ca-certificates/"
    echo "base: trusting the local CA certificates of $ca_dir"
  fi
  # debootstrap leaves the host's name resolution and machine id behind; Docker provides its own.
  rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs/etc/machine-id" "$rootfs/etc/hostname"
  : > "$rootfs/etc/resolv.conf"
  tar -C "$rootfs" -c . | docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$LAB_IMAGE_BASE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
else
  echo "base: $LAB_IMAGE_BASE is present, reused (--rebuild-base to make it again)"
fi

build() { # <name> <image> <context> [docker build arguments…]
  local name="$1" image="$2" context="$3"
  shift 3
  step "$name" "$image"
  docker build -q -t "$image" -f "docker/$name/Dockerfile" "$@" "$context" >/dev/null
}

build node "$LAB_IMAGE_NODE" docker/node --build-arg "BASE_IMAGE=$LAB_IMAGE_BASE"
build postgres "$LAB_IMAGE_POSTGRES" docker/postgres --build-arg "BASE_IMAGE=$LAB_IMAGE_BASE"
build kafka "$LAB_IMAGE_KAFKA" docker/kafka --build-arg "BASE_IMAGE=$LAB_IMAGE_BASE"
build mock-systems "$LAB_IMAGE_MOCK_SYSTEMS" . --build-arg "NODE_IMAGE=$LAB_IMAGE_NODE"
build submission "$LAB_IMAGE_SUBMISSION" docker/submission --build-arg "NODE_IMAGE=$LAB_IMAGE_NODE"

printf '\nimages built in %ss:\n' "$((SECONDS - started))"
for variable in LAB_IMAGE_BASE LAB_IMAGE_NODE LAB_IMAGE_MOCK_SYSTEMS LAB_IMAGE_POSTGRES LAB_IMAGE_KAFKA LAB_IMAGE_SUBMISSION; do
  printf '  %-24s %s (%s)\n' "$variable" "${!variable}" "$(docker image inspect -f '{{.Size}}' "${!variable}" | awk '{printf "%d MB", $1/1000000}')"
done
