#!/usr/bin/env bash
# npm run infra:check — compiles and lints the Bicep templates with zero warnings, then runs the tests on
# the compiled ARM JSON. The Bicep CLI comes from NuGet (infra/tools/bicep-cli.csproj), restored once
# into .tools/ (git-ignored); later runs reuse it without touching the network.
#   --build-only   restore, build and lint, but skip the tests (the tests call this to build main.json)
# Output: .tools/infra/main.json. Fails on any Bicep warning or error, naming it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PROJECT=infra/tools/bicep-cli.csproj
TOOLS=.tools
OUT_DIR="$TOOLS/infra"
OUT="$OUT_DIR/main.json"
run_tests=1
[[ "${1:-}" == "--build-only" ]] && run_tests=0

now_ms() { date +%s%3N; }
elapsed() { echo "$(( $(now_ms) - $1 )) ms"; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64) rid=linux-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  *) echo "infra:check: no Bicep CLI package for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
version=$(sed -n 's/.*Include="Azure.Bicep.CommandLine.$(BicepRid)" Version="\[\([^]]*\)\]".*/\1/p' "$PROJECT")
[[ -n "$version" ]] || { echo "infra:check: no Azure.Bicep.CommandLine version in $PROJECT" >&2; exit 1; }
bicep="$TOOLS/nuget/azure.bicep.commandline.$rid/$version/tools/bicep"

# Test files may build in parallel (jest workers): one restore and one build at a time.
mkdir -p "$OUT_DIR"
exec 9>"$TOOLS/infra-check.lock"
flock 9

t0=$(now_ms)
if [[ -x "$bicep" ]]; then
  echo "infra:check: Bicep CLI $version cached ($(elapsed "$t0"))"
else
  command -v dotnet >/dev/null 2>&1 || { echo "infra:check: the .NET SDK (dotnet) is needed to restore the Bicep CLI from NuGet" >&2; exit 1; }
  # obj/ goes under .tools/ too, so the restore leaves nothing in the work tree.
  dotnet restore "$PROJECT" --packages "$TOOLS/nuget" --verbosity quiet -p:BicepRid="$rid" \
    -p:BaseIntermediateOutputPath="$PWD/$TOOLS/bicep-cli/obj/" \
    -p:MSBuildProjectExtensionsPath="$PWD/$TOOLS/bicep-cli/obj/"
  [[ -f "$bicep" ]] || { echo "infra:check: restore finished but $bicep is missing" >&2; exit 1; }
  chmod u+x "$bicep"
  echo "infra:check: restored Bicep CLI $version for $rid ($(elapsed "$t0"))"
fi

# Bicep prints diagnostics on stderr and exits 0 on warnings: any diagnostic line fails the check.
check_quiet() {
  local what=$1; shift
  local log
  log=$("$@" 2>&1) || { echo "$log" >&2; echo "infra:check: $what failed" >&2; exit 1; }
  if grep -E ': (Warning|Error) ' <<<"$log" >&2; then
    echo "infra:check: $what reported the diagnostics above; fix them (zero warnings allowed)" >&2
    exit 1
  fi
}

t1=$(now_ms)
# Written aside then moved, so a reader never sees a half-written template.
check_quiet "bicep build" "$bicep" build infra/main.bicep --outfile "$OUT.tmp"
check_quiet "bicep lint" "$bicep" lint --pattern 'infra/**/*.bicep'
mv -f "$OUT.tmp" "$OUT"
echo "infra:check: build + lint clean ($(elapsed "$t1")) -> $OUT"
exec 9>&-

if ((run_tests)); then
  npx jest test/integration/infra/
fi
