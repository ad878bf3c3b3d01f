# Installs the Debian packages the build and the tests need; a no-op when all are present.
# Sourced by scripts/run and scripts/test.

LC_BUILD_PACKAGES=(
  cmake g++ make pkg-config ccache
  libboost1.81-dev libssl-dev libsimdjson-dev libyaml-cpp-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libsnappy-dev libprotobuf-dev protobuf-compiler
  libzstd-dev zlib1g-dev librdkafka-dev libjemalloc-dev libre2-dev liblua5.4-dev
  libhowardhinnant-date-dev libxxhash-dev libdeflate-dev
)
LC_RUNTIME_PACKAGES=(docker.io busybox-static procps ca-certificates tzdata)
LC_TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev prometheus gnuplot-nox curl python3
  clang libclang-rt-14-dev rsyslog rsyslog-relp rsyslog-openssl)

lc_install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "log-capturer: installing Debian packages: ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "log-capturer: run as root (or install these packages yourself): ${missing[*]}" >&2
    return 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ccache hits across checkouts in other directories (CI clones afresh).
export CCACHE_NOHASHDIR=true CCACHE_BASEDIR="$LC_ROOT"

# lc_build BUILD_DIR ["TARGET ..."] [cmake args...]: configure and build (default "all": everything).
lc_build() {
  local build_dir=$1 targets
  read -ra targets <<<"${2:-all}"
  shift 2 || shift $#
  cmake -S "$LC_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=${LC_BUILD_TYPE:-RelWithDebInfo} "$@" >&2
  cmake --build "$build_dir" --target "${targets[@]}" -j "$(nproc)" >&2
}
