#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into
# $BIN_DIR/k8s/$KUBERNETES_VERSION-$GOOS-$GOARCH, the layout envtest's
# KUBEBUILDER_ASSETS expects. setup-envtest cannot be used: it downloads
# prebuilt binaries from a bucket, and the only outside reach this project may
# assume is the module proxy. Re-running with the binaries cached does nothing.
#
# Usage: hack/build-controlplane.sh [kube-apiserver|etcd|kubectl]...
# Prints the assets directory on stdout; progress goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
module="$here/controlplane"

# The release comes from the module's go.mod so the two can never disagree.
version=$(sed -n 's/^\s*k8s.io\/kubernetes v\(.*\)$/\1/p' "$module/go.mod" | head -1)
[ -n "$version" ] || { echo "build-controlplane: no k8s.io/kubernetes version in $module/go.mod" >&2; exit 1; }
goos=$(go env GOOS)
goarch=$(go env GOARCH)
bin_dir=${BIN_DIR:-$root/bin}
assets="$bin_dir/k8s/$version-$goos-$goarch"

programs=("$@")
[ ${#programs[@]} -gt 0 ] || programs=(kube-apiserver etcd)

mkdir -p "$assets"
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
ldflags="-s -w \
 -X k8s.io/component-base/version.gitVersion=v$version \
 -X k8s.io/component-base/version.gitMajor=$major \
 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/component-base/version.gitTreeState=clean"

for program in "${programs[@]}"; do
  case "$program" in
    kube-apiserver) pkg=k8s.io/kubernetes/cmd/kube-apiserver ;;
    kubectl)        pkg=k8s.io/kubernetes/cmd/kubectl ;;
    etcd)           pkg=go.etcd.io/etcd/server/v3 ;;
    *) echo "build-controlplane: unknown program $program" >&2; exit 2 ;;
  esac
  if [ -x "$assets/$program" ]; then
    continue
  fi
  echo "build-controlplane: building $program for Kubernetes $version (a few minutes, once; cached in $assets)" >&2
  start=$(date +%s)
  # Build to a temporary name and rename, so an interrupted build is never
  # mistaken for a cached binary.
  (cd "$module" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$assets/.$program.tmp" "$pkg")
  mv "$assets/.$program.tmp" "$assets/$program"
  echo "build-controlplane: built $program in $(( $(date +%s) - start ))s" >&2
done
echo "$assets"
