#!/bin/bash
# CamAssert's analyzer and generator time per compile, as ReportAnalyzer gives it, on a consumer like
# ConsumerPackageTests' (xunit + TorchSharp + TorchVision, the CAM1001 of WrongLayerTests), but referencing the
# built Release dlls directly, so no pack is needed.
#   bench/analyzer-time.sh [noserver|server] [runs] [analyzer-dir]
# noserver: every compile is a fresh csc process (cold JIT). server: the compiler server; the analyzer is loaded
# from a fresh copy of analyzer-dir, so run 1 is its first compile there and the rest are warm.
# Build first: dotnet build src/CamAssert.TorchSharp -c Release && dotnet build src/CamAssert.CodeFixes -c Release
set -e
mode=${1:-noserver}; runs=${2:-4}
repo=$(cd "$(dirname "$0")/.." && pwd)
src=${3:-$repo/src/CamAssert.CodeFixes/bin/Release/netstandard2.0}
work=$(mktemp -d /tmp/camassert-analyzer-time.XXXXXX)
mkdir -p "$work/analyzers" && cp "$src"/CamAssert.Analyzers.dll "$src"/CamAssert.CodeFixes.dll "$work/analyzers/"
cat > "$work/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.4" />
    <PackageReference Include="TorchSharp" Version="0.107.0" />
    <PackageReference Include="TorchSharp.PyBridge" Version="1.4.4" />
    <PackageReference Include="TorchVision" Version="0.107.0" />
    <Reference Include="$repo/src/CamAssert/bin/Release/net10.0/CamAssert.dll" />
    <Reference Include="$repo/src/CamAssert.TorchSharp/bin/Release/net10.0/CamAssert.TorchSharp.dll" />
    <Analyzer Include="$work/analyzers/CamAssert.Analyzers.dll" />
    <Analyzer Include="$work/analyzers/CamAssert.CodeFixes.dll" />
  </ItemGroup>
</Project>
XML
# The consumer's sources are the ones ConsumerPackageTests writes (its second and third raw string literals).
python3 - "$repo/tests/CamAssert.TorchSharp.Tests/ConsumerPackageTests.cs" "$work" <<'PY'
import re, sys, textwrap
blocks = re.findall(r'"""\n(.*?)"""', open(sys.argv[1]).read(), re.S)
open(sys.argv[2] + '/AttentionTests.cs', 'w').write(textwrap.dedent(blocks[1]))
open(sys.argv[2] + '/WrongLayerTests.cs', 'w').write(textwrap.dedent(blocks[2]))
PY
cd "$work"
dotnet restore -nodeReuse:false > /dev/null
shared=false; [ "$mode" = server ] && shared=true
for i in $(seq 1 "$runs"); do
  echo "// $i $(date +%s%N)" > Touch.cs  # a changed input, so Csc runs again
  dotnet build --no-restore -nodeReuse:false -p:ReportAnalyzer=true -v:d -p:UseSharedCompilation=$shared > build.log 2>&1 || true
  row=$(grep -E '^\s*<?[0-9.]+\s+<?[0-9]+\s+CamAssert\.Analyzers\.(Rules|Generation)\.' build.log | awk '{n=$3; sub(/.*\./,"",n); printf "%s=%s ", n, $1}')
  echo "$mode run $i: $row(CAM1001 reported: $(grep -c 'error CAM1001' build.log))"
done
rm -rf "$work"
