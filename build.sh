#!/usr/bin/env bash
# One entry point for DiffOp.Native on Linux: ./build.sh setup|build|test|demo|bench|timings|bench-suite|soak|pack
#   setup  install what is missing (Ipopt's runtime and headers, python3-numpy for the KKT checker; from Debian, as root only)
#   build  build the solution in Release (warnings are errors)
#   test   setup, native smoke test (cmake + ctest), then every NUnit test; results in artifacts/test-results
#   demo   setup, build, and run a short real computation, printing its result
#   bench  regenerate docs/RESULTS.md: benchmarks, 5-seed training runs, the voltage table, pictures (about 3 hours on
#          2 cores; --environments voltage: about 10 minutes, a partial report; --quick: a smoke run of a few minutes,
#          stated as such in the report); the harness is bench/DiffOp.Results
#   timings  median forward-solve and backward-pass times per environment and a voltage horizon sweep (--json, --quick, --env e, --solver s)
#   bench-suite  the BenchmarkDotNet suite (extra arguments go to BenchmarkDotNet, e.g. --filter '*Symbolic*')
#   soak   20,000 voltage solves (memory flat?), then 20 rounds of worker and trainer fault injection (about 15 min)
#   pack   gather Ipopt's runtime into native-libs/ and produce .nupkg files in artifacts/packages (checks the diffop tool installs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}
RESULTS="$ROOT/artifacts/test-results"
APT_PACKAGES=(coinor-libipopt1v5 coinor-libipopt-dev pkg-config cmake gcc make fonts-dejavu-core)

log() { printf '==> %s\n' "$*" >&2; }

ipopt_present() {
  # runtime (what the .NET code loads) + header and pkg-config file (what the native smoke test builds against)
  { ldconfig -p 2>/dev/null | grep -q 'libipopt\.so\.1' || [ -e /usr/lib/libipopt.so.1 ] || [ -n "${DIFFOP_IPOPT_PATH:-}" ]; } &&
    [ -e /usr/include/coin/IpStdCInterface.h ] && command -v pkg-config >/dev/null && pkg-config --exists ipopt &&
    command -v cmake >/dev/null && command -v cc >/dev/null &&
    [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]   # learning-curve plots need one font
}

cmd_setup() {
  if ! command -v dotnet >/dev/null; then
    echo "error: the .NET SDK 10 is not installed (dotnet is not on PATH). Install it from Microsoft's packages for your distribution, then rerun." >&2
    exit 1
  fi
  setup_ipopt
  setup_numpy
}

# numpy for tools/python/check_kkt.py, which the KKT checker tests run with /usr/bin/python3 (Debian's python3-numpy).
numpy_present() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; }

setup_numpy() {
  if numpy_present; then log "setup: python3-numpy present"; return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    # Not fatal here: everything else builds and runs; the KKT checker tests fail and say to install it.
    log "setup: python3-numpy is missing; the KKT checker tests (KktExportCheckerTests) will fail until it is installed:"
    log "  sudo apt-get update && sudo apt-get install -y python3-numpy   (or set DIFFOP_PYTHON to a python3 with numpy)"
    return 0
  fi
  log "setup: installing python3-numpy"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-numpy >/dev/null
  numpy_present || { echo "error: /usr/bin/python3 still cannot import numpy after installing python3-numpy" >&2; exit 1; }
  log "setup: python3-numpy installed"
}

setup_ipopt() {
  if ipopt_present; then log "setup: Ipopt $(pkg-config --modversion ipopt) present"; return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: Ipopt's runtime or headers are missing. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${APT_PACKAGES[*]}" >&2
    echo "(or point DIFFOP_IPOPT_PATH at an existing libipopt for the .NET code alone)" >&2
    exit 1
  fi
  log "setup: installing ${APT_PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  ipopt_present || { echo "error: Ipopt still not usable after installing ${APT_PACKAGES[*]}" >&2; exit 1; }
  log "setup: Ipopt $(pkg-config --modversion ipopt) installed"
}

cmd_build() {
  log "build: dotnet build ($CONFIG)"
  dotnet build "$ROOT/DiffOp.Native.sln" -c "$CONFIG" --nologo -v quiet -clp:ErrorsOnly
}

native_smoke() {
  log "test: native smoke test (cmake + ctest, HS071 through Ipopt's C interface)"
  cmake -S "$ROOT/cmake" -B "$ROOT/artifacts/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/artifacts/native" >/dev/null
  ctest --test-dir "$ROOT/artifacts/native" --output-on-failure --output-junit "$RESULTS/ctest.xml"
}

cmd_test() {
  cmd_setup
  rm -rf "$RESULTS"; mkdir -p "$RESULTS"
  local rc=0
  native_smoke || rc=$?
  log "test: dotnet test ($CONFIG)"
  dotnet test "$ROOT/DiffOp.Native.sln" -c "$CONFIG" --nologo --logger "trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS" "$@" || rc=$?
  return $rc
}

cmd_demo() {
  cmd_setup
  cmd_build
  log "demo: HS071 through Ipopt"
  "$ROOT/diffop" solve hs071 --json
  local run="$ROOT/runs/demo-voltage-traj"
  rm -rf "$run"
  log "demo: DiffOP training of the voltage-control policy (13-bus feeder, Traj mode, default recipe: the trust-region rule on batches of 100, the paper's budget of 10,000 trajectories in 80 iterations on 2 threads, about 10 s)"
  "$ROOT/diffop" train voltage --mode traj --iterations 80 --threads 2 --seed 0 --out "$run"
  log "demo: the deterministic policy (u = u*) before and after training, evaluation protocol of the paper on scenarios 0..99"
  "$ROOT/diffop" evaluate "$run" --scenarios 100
  log "demo: pictures of the run (one line each: where it is and what it shows); checkpoint and metrics in $run"
  "$ROOT/diffop" plot --run "$run"
}

cmd_bench() {
  cmd_setup
  cmd_build
  log "bench: diffop-results run $* (finished training runs in artifacts/ are reused; delete artifacts/results to start over)"
  dotnet "$ROOT/bench/DiffOp.Results/bin/$CONFIG/net10.0/diffop-results.dll" run "$@"
}

cmd_timings() {
  cmd_setup
  cmd_build
  dotnet "$ROOT/bench/DiffOp.Results/bin/$CONFIG/net10.0/diffop-results.dll" bench "$@"
}

cmd_bench_suite() {
  cmd_setup
  dotnet run -c Release --project "$ROOT/bench/DiffOp.Benchmarks" -- "$@"
}

cmd_soak() {
  cmd_setup
  cmd_build
  log "soak: 20,000 voltage solves on one solver, then 2,000 with a solver each"
  dotnet "$ROOT/src/DiffOp.Cli/bin/$CONFIG/net10.0/diffop.dll" soak --solves 20000
  log "soak: 20 rounds of worker kills/stops and of trainer kills, each ending with the undisturbed θ"
  DIFFOP_FAULT_ROUNDS=20 dotnet test "$ROOT/tests/DiffOp.Cli.Tests" -c "$CONFIG" --no-build --nologo \
    --filter "FullyQualifiedName~WorkerFaultTests|FullyQualifiedName~TrainerKillTests"
}

cmd_pack() {
  cmd_setup
  local native="$ROOT/native-libs/runtimes/linux-x64/native"
  rm -rf "$ROOT/native-libs/runtimes"; mkdir -p "$native"
  local lib; lib=$(ldconfig -p | awk '/libipopt\.so\.1 /{print $NF; exit}'); lib=${lib:-/usr/lib/libipopt.so.1}
  log "pack: gathering $lib and its non-glibc dependencies into native-libs/"
  cp -L "$lib" "$native/libipopt.so.1"
  ldd "$lib" | awk '/=> \//{print $3}' | while read -r dep; do
    case "$(basename "$dep")" in
      libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|libstdc++.so*|libgcc_s.so*) ;;
      *) cp -L "$dep" "$native/" ;;
    esac
  done
  if command -v patchelf >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq patchelf >/dev/null; }; then
    for f in "$native"/*.so*; do patchelf --set-rpath '$ORIGIN' "$f"; done
  else
    log "pack: patchelf not available; the packaged libraries keep their system search path"
  fi
  rm -rf "$ROOT/artifacts/packages"
  dotnet pack "$ROOT/DiffOp.Native.sln" -c Release --nologo -v quiet -o "$ROOT/artifacts/packages"
  ls -1 "$ROOT/artifacts/packages"
  # The diffop tool must install from what was just written and run a solve with the Ipopt it carries.
  local tools; tools=$(mktemp -d)
  log "pack: checking 'dotnet tool install diffop --add-source artifacts/packages' in $tools"
  dotnet tool install diffop --tool-path "$tools" --add-source "$ROOT/artifacts/packages" --version "$(pack_version)" >/dev/null
  "$tools/diffop" solve boxlqr --horizon 5 >/dev/null || { echo "error: the installed diffop tool could not solve boxlqr" >&2; rm -rf "$tools"; exit 1; }
  rm -rf "$tools"
  log "pack: the diffop tool installs and solves; install it with: dotnet tool install -g diffop --add-source $ROOT/artifacts/packages"
}

pack_version() { sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -1; }

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

command=${1:-help}; shift || true
case "$command" in
  setup) cmd_setup ;;
  build) cmd_setup; cmd_build ;;
  test) cmd_test "$@" ;;
  demo) cmd_demo ;;
  bench) cmd_bench "$@" ;;
  bench-suite) cmd_bench_suite "$@" ;;
  timings) cmd_timings "$@" ;;
  soak) cmd_soak ;;
  pack) cmd_pack ;;
  help|-h|--help) usage ;;
  *) echo "error: unknown command '$command'" >&2; usage >&2; exit 2 ;;
esac
