<#
.SYNOPSIS
  DiffOp.Native build entry point for Windows/PowerShell users; mirrors ./build.sh.
.DESCRIPTION
  ./build.ps1 setup|build|test|demo|bench|timings|bench-suite|soak|pack
  setup  checks for the .NET SDK and Ipopt (set DIFFOP_IPOPT_PATH to your ipopt-3.dll / ipopt.dll;
         there is no package to install automatically on Windows)
  build  dotnet build in Release
  test   setup, native smoke test when cmake and Ipopt headers are available (set IPOPT_DIR), then dotnet test
  demo   setup, build, solve HS071, train the voltage policy (default recipe, the paper's 10,000 trajectories in 80 iterations), evaluate it and draw its pictures
  bench  regenerate docs/RESULTS.md with 'diffop-results run' (bench/DiffOp.Results; --quick: a short smoke run; --environments voltage: a partial run of about 10 minutes)
  timings  median forward-solve and backward-pass times per environment ('diffop-results bench'; --json, --quick, --env e, --solver s)
  bench-suite  BenchmarkDotNet (extra arguments pass through)
  soak   20,000 voltage solves (memory flat?), then 20 rounds of worker and trainer fault injection (Linux only: /proc)
  pack   dotnet pack into artifacts/packages (copy Ipopt's DLLs into native-libs/runtimes/win-x64/native first)
#>
param(
  [Parameter(Position = 0)][ValidateSet('setup', 'build', 'test', 'demo', 'bench', 'timings', 'bench-suite', 'soak', 'pack', 'help')][string]$Command = 'help',
  [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Config = if ($env:CONFIG) { $env:CONFIG } else { 'Release' }
$Results = Join-Path $PSScriptRoot 'artifacts/test-results'

function Invoke-Setup {
  if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'The .NET SDK 10 is not installed (dotnet is not on PATH).' }
  if ($IsLinux) { & ./build.sh setup; if ($LASTEXITCODE) { exit $LASTEXITCODE }; return }
  $candidates = @($env:DIFFOP_IPOPT_PATH) + (($env:PATH -split [IO.Path]::PathSeparator) | ForEach-Object { Join-Path $_ 'ipopt-3.dll'; Join-Path $_ 'ipopt.dll' })
  if (-not ($candidates | Where-Object { $_ -and (Test-Path $_) })) {
    Write-Warning 'Ipopt was not found: set DIFFOP_IPOPT_PATH to ipopt-3.dll (or put it on PATH). Native tests will be skipped.'
  }
}
function Invoke-Build { dotnet build DiffOp.Native.sln -c $Config --nologo -v quiet; if ($LASTEXITCODE) { exit $LASTEXITCODE } }
function Invoke-Test {
  Invoke-Setup
  Remove-Item -Recurse -Force $Results -ErrorAction SilentlyContinue
  New-Item -ItemType Directory -Force $Results | Out-Null
  $rc = 0
  if ((Get-Command cmake -ErrorAction SilentlyContinue) -and ($IsLinux -or $env:IPOPT_DIR)) {
    cmake -S cmake -B artifacts/native | Out-Null; cmake --build artifacts/native | Out-Null
    ctest --test-dir artifacts/native --output-on-failure --output-junit (Join-Path $Results 'ctest.xml'); if ($LASTEXITCODE) { $rc = $LASTEXITCODE }
  }
  dotnet test DiffOp.Native.sln -c $Config --nologo --logger trx --logger 'console;verbosity=minimal' --results-directory $Results @Rest
  if ($LASTEXITCODE) { $rc = $LASTEXITCODE }
  exit $rc
}
switch ($Command) {
  'setup' { Invoke-Setup }
  'build' { Invoke-Setup; Invoke-Build }
  'test' { Invoke-Test }
  'demo' {
    Invoke-Setup; Invoke-Build
    $cli = "src/DiffOp.Cli/bin/$Config/net10.0/diffop.dll"
    dotnet $cli solve hs071 --json
    if (Test-Path runs/demo-voltage-traj) { Remove-Item -Recurse -Force runs/demo-voltage-traj }
    dotnet $cli train voltage --mode traj --iterations 80 --threads 2 --seed 0 --out runs/demo-voltage-traj
    dotnet $cli evaluate runs/demo-voltage-traj --scenarios 100
    dotnet $cli plot --run runs/demo-voltage-traj
    exit $LASTEXITCODE
  }
  'bench' { Invoke-Setup; Invoke-Build; dotnet "bench/DiffOp.Results/bin/$Config/net10.0/diffop-results.dll" run @Rest; exit $LASTEXITCODE }
  'timings' { Invoke-Setup; Invoke-Build; dotnet "bench/DiffOp.Results/bin/$Config/net10.0/diffop-results.dll" bench @Rest; exit $LASTEXITCODE }
  'bench-suite' { Invoke-Setup; dotnet run -c Release --project bench/DiffOp.Benchmarks -- @Rest }
  'soak' {
    Invoke-Setup; Invoke-Build
    dotnet "src/DiffOp.Cli/bin/$Config/net10.0/diffop.dll" soak --solves 20000
    $env:DIFFOP_FAULT_ROUNDS = '20'
    dotnet test tests/DiffOp.Cli.Tests -c $Config --no-build --nologo --filter 'FullyQualifiedName~WorkerFaultTests|FullyQualifiedName~TrainerKillTests'
    exit $LASTEXITCODE
  }
  'pack' {
    Invoke-Setup
    if (Test-Path artifacts/packages) { Remove-Item -Recurse -Force artifacts/packages }
    dotnet pack DiffOp.Native.sln -c Release --nologo -o artifacts/packages
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # The diffop tool must install from what was just written and solve a problem.
    $tools = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
    $version = ([xml](Get-Content Directory.Build.props)).Project.PropertyGroup[0].Version
    dotnet tool install diffop --tool-path $tools --add-source artifacts/packages --version $version
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & (Join-Path $tools 'diffop') solve boxlqr --horizon 5 | Out-Null
    $code = $LASTEXITCODE
    Remove-Item -Recurse -Force $tools
    if ($code -ne 0) { Write-Error 'the installed diffop tool could not solve boxlqr'; exit $code }
    Write-Host 'pack: the diffop tool installs and solves (dotnet tool install -g diffop --add-source artifacts/packages)'
  }
  default { Get-Help $PSCommandPath -Detailed }
}
