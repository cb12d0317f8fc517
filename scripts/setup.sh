#!/usr/bin/env bash
# Everything a fresh Debian machine needs for the tests and benchmarks: the real Prometheus, node_exporter,
# Alertmanager, Chromium, nftables and iproute2 the integration and browser tests run, blackbox_exporter
# (the peers benchmark's peer), then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(prometheus prometheus-node-exporter prometheus-alertmanager prometheus-blackbox-exporter chromium fonts-inter nftables iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
