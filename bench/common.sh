# Sourced by every bench script: ROOT (the checkout, also the working directory) and OUT (bench/out, the raw
# results), the packages and the built jars.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
cd "$ROOT"
deploy/install-deps.sh
[ -f agent/target/fleetgen-agent.jar ] && [ -f control/target/fleetgen-control.jar ] || mvn -B -q package -DskipTests
