#!/bin/sh
# Makes sure what `make test` calls is here, as scripts/deps.sh does for the
# build: as root, installs the missing Debian packages with apt-get and the
# missing Python packages with pip; otherwise, or when that fails, prints the
# exact command and fails. A suite still finding a tool missing fails naming it.
cd "$(dirname "$0")/.." || exit 1

# command  Debian package: the programs the suites run.
debian="python3 python3
dot graphviz
nvim neovim
node nodejs
setpriv util-linux
timeout coreutils"
# module  pip package: what the Python tools import, and the AWS CLI.
python="cfnlint cfn-lint
botocore botocore
boto3 boto3
yaml pyyaml
moto.server moto[server]
awscli awscli"

missing_deb=$(echo "$debian" | while read -r cmd pkg; do
  command -v "$cmd" >/dev/null 2>&1 || printf ' %s' "$pkg"; done)
missing_py() {
  command -v python3 >/dev/null 2>&1 || { echo "$python" | while read -r _ pkg; do printf ' %s' "$pkg"; done; return; }
  echo "$python" | while read -r mod pkg; do
    python3 -c "import $mod" >/dev/null 2>&1 || printf ' %s' "$pkg"; done
}
root=false
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && root=true

if [ -n "$missing_deb" ] && $root; then
  echo "infrac: installing test dependencies:$missing_deb" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt="apt-get -o DPkg::Lock::Timeout=300 install -y -q"
  # shellcheck disable=SC2086
  $apt $missing_deb >/dev/null 2>&1 ||
    { apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null 2>&1 && $apt $missing_deb >/dev/null; }
  missing_deb=$(echo "$debian" | while read -r cmd pkg; do
    command -v "$cmd" >/dev/null 2>&1 || printf ' %s' "$pkg"; done)
fi
if [ -n "$missing_deb" ]; then
  echo "infrac: missing test dependencies:$missing_deb" >&2
  echo "  install them with: sudo apt-get install -y$missing_deb" >&2
  exit 1
fi

need=$(missing_py)
[ -z "$need" ] && exit 0
if $root; then
  echo "infrac: installing Python test dependencies:$need" >&2
  python3 -m pip --version >/dev/null 2>&1 ||
    apt-get -o DPkg::Lock::Timeout=300 install -y -q python3-pip >/dev/null 2>&1
  # Debian's own python3 refuses pip without --break-system-packages (PEP 668)
  # shellcheck disable=SC2086
  python3 -m pip install -q $need >/dev/null 2>&1 ||
    python3 -m pip install -q --break-system-packages $need >/dev/null 2>&1
  need=$(missing_py)
  [ -z "$need" ] && exit 0
fi
echo "infrac: missing Python test dependencies:$need" >&2
echo "  install them with: python3 -m pip install$(echo "$need" | sed "s/moto\[server\]/'moto[server]'/")" >&2
exit 1
