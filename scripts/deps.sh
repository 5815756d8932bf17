#!/bin/sh
# Makes sure the build's tools and libraries are here: installs them with
# apt-get when run as root, otherwise names the exact command and fails.
missing=""
command -v re2c >/dev/null 2>&1 || missing="$missing re2c"
command -v bison >/dev/null 2>&1 || missing="$missing bison"
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config --exists yaml-0.1 || missing="$missing libyaml-dev"
  pkg-config --exists libcjson || missing="$missing libcjson-dev"
  pkg-config --exists libcurl || missing="$missing libcurl4-openssl-dev"
  pkg-config --exists libxml-2.0 || missing="$missing libxml2-dev"
  pkg-config --exists libcrypto || missing="$missing libssl-dev"
else
  missing="$missing pkg-config"
  [ -f /usr/include/yaml.h ] || missing="$missing libyaml-dev"
  [ -f /usr/include/cjson/cJSON.h ] || missing="$missing libcjson-dev"
  missing="$missing libcurl4-openssl-dev libxml2-dev libssl-dev"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "infrac: installing build dependencies:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -q $missing >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $missing >/dev/null; } ||
    { echo "infrac: apt-get install$missing failed" >&2; exit 1; }
  exit 0
fi
echo "infrac: missing build dependencies:$missing" >&2
echo "  install them with: sudo apt-get install -y$missing" >&2
exit 1
