<#
.SYNOPSIS
  cast2md installer for Windows: the binary, node registration, a scheduled task (or a service), update, uninstall.
.DESCRIPTION
  It mirrors install.sh. The specs run it with pwsh on Linux: every call only Windows can make goes through
  Invoke-Windows, which CAST2MD_PLATFORM_STUB replaces (see there).
    irm URL/install.ps1 | iex                                      # asks its questions
    .\install.ps1 -Unattended                                      # reads CAST2MD_SERVER_URL, CAST2MD_NODE_NAME, CAST2MD_SERVICE
    .\install.ps1 -Uninstall -Unattended                           # unregisters the node, removes the task and files
  -Service task (default): a scheduled task at logon that restarts the node after 10 s whenever it stops.
  -Service service: a Windows service through sc.exe (needs an elevated shell; runs as LocalSystem, so node.json is
  written to %USERPROFILE% of the installing user and passed with CAST2MD_NODE_CONFIG).
  -Service script: start.cmd / stop.cmd helpers only.
#>
[CmdletBinding()]
param(
  [switch]$Unattended = ($env:CAST2MD_UNATTENDED -eq '1'),
  [switch]$Uninstall,
  [switch]$Update,
  [string]$Prefix = $(if ($env:CAST2MD_PREFIX) { $env:CAST2MD_PREFIX } else { Join-Path $HOME '.cast2md' }),
  [string]$FromBuild = $env:CAST2MD_FROM_BUILD,
  [string]$Archive = $env:CAST2MD_ARCHIVE_URL,
  [switch]$Insecure,
  [string]$ServerUrl = $env:CAST2MD_SERVER_URL,
  [string]$Name = $env:CAST2MD_NODE_NAME,
  [string]$Token = $env:CAST2MD_REGISTRATION_TOKEN,
  [ValidateSet('', 'task', 'service', 'script', 'manual')][string]$Service = $env:CAST2MD_SERVICE,
  [switch]$AutoTerminate = ($env:CAST2MD_AUTO_TERMINATE -eq '1')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$OnWindows = [Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT
$ExeName = if ($OnWindows) { 'cast2md.exe' } else { 'cast2md' }
$State = Join-Path $HOME '.cast2md'
$BinDir = Join-Path $Prefix 'bin'
$Exe = Join-Path $BinDir $ExeName
$Manifest = Join-Path $State 'install-node.conf'
$NodeJson = Join-Path $State 'node.json'
$LogFile = Join-Path $State 'node.log'
$TaskName = 'cast2md-node'
$Helpers = 'start', 'stop', 'restart', 'logs', 'status'
$ReleaseBase = if ($env:CAST2MD_RELEASE_BASE) { $env:CAST2MD_RELEASE_BASE } else { 'https://github.com/meltforce/cast2md-aot/releases/latest/download' }

function Say([string]$m) { Write-Host "cast2md-install: $m" }
function Fail([string]$m) { [Console]::Error.WriteLine("cast2md-install: error: $m"); exit 1 }
function Ask([string]$question, [string]$default) {
  if ($Unattended) { return $default }
  $answer = Read-Host "$question [$default]"
  if ([string]::IsNullOrWhiteSpace($answer)) { return $default } else { return $answer }
}

# Every call that only Windows can make (scheduled tasks, services, the registry) is one operation here. With
# CAST2MD_PLATFORM_STUB set, that program is run instead with the operation and its arguments: the specs run this script
# with pwsh on Linux and record these calls, as they stand in for systemctl with install.sh.
function Invoke-Windows([string]$Operation, [string[]]$Arguments = @()) {
  if ($env:CAST2MD_PLATFORM_STUB) {
    & $env:CAST2MD_PLATFORM_STUB $Operation @Arguments
    if ($LASTEXITCODE -ne 0) { Fail "$Operation failed" }
    return
  }
  switch ($Operation) {
    'register-task' {
      $action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument "/c `"$($Arguments[0])`"" -WorkingDirectory $State
      $trigger = New-ScheduledTaskTrigger -AtLogOn -User $env:USERNAME
      $settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1)
      Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -Description 'cast2md Transcriber Node' -Force | Out-Null
    }
    'start-task' { Start-ScheduledTask -TaskName $TaskName }
    'remove-task' {
      if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Stop-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue
        Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
      }
    }
    'install-service' {
      sc.exe create $TaskName binPath= "`"$Exe`" node start --no-browser" start= auto DisplayName= 'cast2md Transcriber Node' | Out-Null
      sc.exe failure $TaskName reset= 0 actions= restart/10000/restart/10000/restart/10000 | Out-Null
      $key = "HKLM:\SYSTEM\CurrentControlSet\Services\$TaskName"
      New-ItemProperty -Path $key -Name Environment -PropertyType MultiString -Force -Value $Arguments | Out-Null
      sc.exe start $TaskName | Out-Null
    }
    'remove-service' {
      if (Get-Service $TaskName -ErrorAction SilentlyContinue) { sc.exe stop $TaskName | Out-Null; sc.exe delete $TaskName | Out-Null }
    }
    default { Fail "unknown Windows operation $Operation" }
  }
}

# The platform part of a release archive's name (cast2md-VERSION-RID.zip or .tar.gz).
function Get-Rid {
  $arch = if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq [Runtime.InteropServices.Architecture]::Arm64) { 'arm64' } else { 'x64' }
  if ($OnWindows) { return "win-$arch" }
  if ([Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([Runtime.InteropServices.OSPlatform]::OSX)) { return "osx-$arch" }
  return "linux-$arch"
}

# Archives come over https only: anyone on the path of an http download could hand us another binary. http is allowed
# with -Insecure, and then only from this machine (a test server on loopback); file:// reads a local file.
function Test-ArchiveUrl([string]$url) {
  $uri = $null
  if (-not [Uri]::TryCreate($url, [UriKind]::Absolute, [ref]$uri)) { Fail "refusing ${url}: not an absolute URL" }
  switch ($uri.Scheme) {
    'https' { return $uri }
    'file' { return $uri }
    'http' {
      if (-not $Insecure) { Fail "refusing ${url}: release archives are downloaded over https only (-Insecure allows http from a loopback address, for tests)" }
      if (-not $uri.IsLoopback) { Fail "refusing ${url}: -Insecure allows http only from a loopback address (localhost, 127.0.0.1, [::1]), not from $($uri.Host)" }
      return $uri
    }
  }
  Fail "refusing ${url}: an archive URL must start with https:// (or file:// for a local file)"
}

function Save-Url([Uri]$uri, [string]$file) {
  if ($uri.Scheme -eq 'file') { Copy-Item -LiteralPath $uri.LocalPath $file; return }
  $ProgressPreference = 'SilentlyContinue'
  Invoke-WebRequest -Uri $uri -OutFile $file -UseBasicParsing
}

# SHA256SUMS lines: "HEX  NAME" (or "HEX *NAME"), as sha256sum writes them.
function Read-Checksums([string]$file) {
  foreach ($line in Get-Content -LiteralPath $file) {
    $fields = -split $line
    if ($fields.Count -ge 2) { [pscustomobject]@{ Hash = $fields[0].ToLowerInvariant(); Name = $fields[1].TrimStart('*') } }
  }
}

# The archive for this platform that the release's SHA256SUMS lists (the newest version when it lists several).
function Find-ReleaseArchive([string]$base, [string]$dir) {
  $sums = Test-ArchiveUrl "$($base.TrimEnd('/'))/SHA256SUMS"
  try { Save-Url $sums (Join-Path $dir 'SHA256SUMS') } catch { Fail "could not download ${sums} (the list of release archives and their checksums)" }
  $rid = Get-Rid
  $pattern = '^cast2md-([0-9]+(\.[0-9]+){1,3})[^/]*-' + [regex]::Escape($rid) + '\.(zip|tar\.gz)$'
  $names = @(Read-Checksums (Join-Path $dir 'SHA256SUMS') | ForEach-Object { $_.Name } | Where-Object { $_ -match $pattern })
  if ($names.Count -eq 0) { Fail "$sums lists no cast2md-VERSION-$rid archive" }
  $newest = $names | Sort-Object { [version]($_ -replace $pattern, '$1') } | Select-Object -Last 1
  return [Uri]::new($sums, $newest).AbsoluteUri
}

# Downloads the archive and its SHA256SUMS, refuses it unless its checksum is listed and matches, unpacks it into DIR;
# returns the folder holding the binary.
function Expand-Release([string]$url, [string]$dir) {
  $uri = Test-ArchiveUrl $url
  $name = [Uri]::UnescapeDataString($uri.Segments[-1])
  $sums = [Uri]::new($uri, 'SHA256SUMS')
  $file = Join-Path $dir $name
  Say "downloading $url"
  try { Save-Url $uri $file } catch { Fail "could not download ${url}: $($_.Exception.Message)" }
  try { Save-Url $sums (Join-Path $dir 'SHA256SUMS') } catch { Fail "could not download ${sums}: refusing an archive that cannot be checked" }
  $expected = Read-Checksums (Join-Path $dir 'SHA256SUMS') | Where-Object { $_.Name -eq $name } | Select-Object -First 1
  if (-not $expected) { Fail "$sums lists no checksum for ${name}: refusing it" }
  $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash.ToLowerInvariant()
  if ($actual -ne $expected.Hash) { Fail "$name does not match its checksum in $sums (expected $($expected.Hash), got ${actual}): refusing it" }
  Say "checksum of $name verified"
  $unpacked = Join-Path $dir 'x'
  New-Item -ItemType Directory $unpacked | Out-Null
  if ($name -like '*.zip') { Expand-Archive -LiteralPath $file -DestinationPath $unpacked }
  else {
    tar -xzf $file -C $unpacked   # tar.exe comes with Windows 10 and later
    if ($LASTEXITCODE -ne 0) { Fail "$url is neither a .zip nor a .tar.gz archive" }
  }
  $found = Get-ChildItem -LiteralPath $unpacked -Recurse -File -Filter $ExeName | Select-Object -First 1
  if (-not $found) { Fail "$url holds no $ExeName" }
  return $found.DirectoryName
}

function Install-Binary {
  $source = $null
  $tmp = Join-Path ([IO.Path]::GetTempPath()) ("cast2md-" + [guid]::NewGuid())
  if ($Archive) {
    New-Item -ItemType Directory $tmp | Out-Null
    $source = Expand-Release $Archive $tmp
  } elseif ($FromBuild) {
    $source = $FromBuild
  } elseif ($PSScriptRoot -and (Test-Path (Join-Path (Join-Path $PSScriptRoot 'bin') $ExeName))) {
    $source = Join-Path $PSScriptRoot 'bin'
  } else {
    New-Item -ItemType Directory $tmp | Out-Null
    $source = Expand-Release (Find-ReleaseArchive $ReleaseBase $tmp) $tmp
  }
  if (-not (Test-Path -LiteralPath (Join-Path $source $ExeName))) { Fail "no $ExeName in $source" }
  New-Item -ItemType Directory -Force $BinDir | Out-Null
  # The binary and the libraries beside it (SQLite's, the monitor's); whisper's runtimes\ folder is replaced whole.
  Get-ChildItem -LiteralPath $source -File |
    Where-Object { $_.Name -eq $ExeName -or $_.Name -like '*.dll' -or $_.Name -like 'lib*.so*' -or $_.Name -like 'lib*.dylib' } |
    ForEach-Object { Copy-Item -LiteralPath $_.FullName (Join-Path $BinDir $_.Name) -Force }
  $runtimes = Join-Path $source 'runtimes'
  if (Test-Path -LiteralPath $runtimes) {
    $target = Join-Path $BinDir 'runtimes'
    if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    Copy-Item -LiteralPath $runtimes $target -Recurse
  }
  if (Test-Path -LiteralPath $tmp) { Remove-Item -LiteralPath $tmp -Recurse -Force }
  $version = @(& $Exe --version)
  if ($LASTEXITCODE -ne 0 -or $version.Count -eq 0) { Fail "$Exe does not run on this machine" }
  Say "installed $Exe ($($version[0]))"
}

function Test-Ffmpeg {
  if (-not (Get-Command ffmpeg -ErrorAction SilentlyContinue)) {
    Say 'warning: ffmpeg is missing (transcription needs it): winget install Gyan.FFmpeg'
  }
}

function Write-Helpers([string]$mode) {
  $persistent = if ($AutoTerminate) { '' } else { 'set NODE_PERSISTENT=1' }
  $bodies = @{}
  if ($mode -eq 'task') {
    $bodies.start = "schtasks /Run /TN $TaskName"
    $bodies.stop = "schtasks /End /TN $TaskName"
    $bodies.restart = "schtasks /End /TN $TaskName`r`nschtasks /Run /TN $TaskName"
    $bodies.status = "schtasks /Query /TN $TaskName`r`n`"$Exe`" node status"
  } elseif ($mode -eq 'service') {
    $bodies.start = "sc.exe start $TaskName"
    $bodies.stop = "sc.exe stop $TaskName"
    $bodies.restart = "sc.exe stop $TaskName`r`nsc.exe start $TaskName"
    $bodies.status = "sc.exe query $TaskName`r`n`"$Exe`" node status"
  } else {
    $bodies.start = "$persistent`r`nstart `"cast2md node`" /min cmd /c `"`"$Exe`" node start --no-browser >> `"$LogFile`" 2>&1`""
    $bodies.stop = "taskkill /IM cast2md.exe /FI `"WINDOWTITLE eq cast2md node*`""
    $bodies.restart = "call `"$State\stop.cmd`"`r`ncall `"$State\start.cmd`""
    $bodies.status = "`"$Exe`" node status"
  }
  $bodies.logs = "powershell -NoProfile -Command `"Get-Content -Wait -Tail 100 '$LogFile'`""
  foreach ($h in $Helpers) { Set-Content -Path (Join-Path $State "$h.cmd") -Value "@echo off`r`n$($bodies[$h])" -Encoding ascii }
}

function Install-Task {
  # The runner restarts the node 10 s after it exits, as systemd's Restart=always / RestartSec=10 does.
  $runner = Join-Path $State 'run-node.cmd'
  $persistent = if ($AutoTerminate) { '' } else { 'set NODE_PERSISTENT=1' }
  Set-Content $runner -Encoding ascii -Value "@echo off`r`n$persistent`r`n:loop`r`n`"$Exe`" node start --no-browser >> `"$LogFile`" 2>&1`r`ntimeout /t 10 /nobreak >nul`r`ngoto loop"
  Invoke-Windows 'register-task' @($runner)
  Invoke-Windows 'start-task'
}

function Install-Service {
  # A service runs as LocalSystem, whose profile is not this user's: node.json is named in its environment.
  $environment = @("CAST2MD_NODE_CONFIG=$NodeJson")
  if (-not $AutoTerminate) { $environment += 'NODE_PERSISTENT=1' }
  Invoke-Windows 'install-service' $environment
}

function Remove-Services {
  Invoke-Windows 'remove-task'
  Invoke-Windows 'remove-service'
  Get-Process cast2md -ErrorAction SilentlyContinue | Where-Object { $_.Path -eq $Exe } | Stop-Process -Force
}

function Invoke-Uninstall {
  Remove-Services
  if ((Test-Path $NodeJson) -and (Test-Path $Exe)) {
    & $Exe node unregister --force
    if ($LASTEXITCODE -ne 0) { Say 'warning: could not unregister from the server' }
  }
  foreach ($f in @($NodeJson, $Manifest, $LogFile, (Join-Path $State 'run-node.cmd')) + ($Helpers | ForEach-Object { Join-Path $State "$_.cmd" })) {
    Remove-Item $f -Force -ErrorAction SilentlyContinue
  }
  foreach ($d in @($BinDir, (Join-Path $State 'spool'), (Join-Path $State 'node-work'), (Join-Path $State 'models'))) {
    Remove-Item $d -Recurse -Force -ErrorAction SilentlyContinue
  }
  if ((Test-Path $State) -and -not (Get-ChildItem $State -Force)) { Remove-Item $State -Force }
  if ((Test-Path $Prefix) -and -not (Get-ChildItem $Prefix -Force)) { Remove-Item $Prefix -Force }
  Say 'uninstalled the cast2md node'
}

function Start-Configured([string]$mode) {
  switch ($mode) {
    'task' { Install-Task }
    'service' { Install-Service }
    default { }
  }
  Write-Helpers $mode
  Set-Content $Manifest -Encoding ascii -Value "role=node`r`nos=windows`r`nprefix=$Prefix`r`nservice=$mode`r`nauto_terminate=$([int][bool]$AutoTerminate)"
}

$existing = Test-Path $Manifest
if ($Uninstall) { Invoke-Uninstall; exit 0 }
if ($existing -and -not $Update) {
  if ($Unattended) { $Update = $true }
  else {
    $choice = Ask 'Found an existing install. Update (u), uninstall (x) or quit (q)?' 'u'
    if ($choice -like 'x*') { Invoke-Uninstall; exit 0 }
    if ($choice -notlike 'u*') { exit 0 }
    $Update = $true
  }
}

if ($Update -and $existing) {
  $previous = (Get-Content $Manifest | Where-Object { $_ -like 'service=*' }) -replace '^service=', ''
  if (-not $Service) { $Service = $previous }
  Remove-Services
  Install-Binary
  Start-Configured $Service
  Say 'updated the cast2md node (node.json kept)'
  exit 0
}

if (-not $Service) {
  $Service = if ($Unattended) { 'task' } else { Ask 'Run the node as 1) scheduled task at logon, 2) Windows service (admin), 3) script, 4) manual' '1' }
  $map = @{ '1' = 'task'; '2' = 'service'; '3' = 'script'; '4' = 'manual' }
  if ($map.ContainsKey($Service)) { $Service = $map[$Service] }
}
if (-not $ServerUrl) { $ServerUrl = Ask 'Server URL (e.g. http://192.168.1.100:8000)' '' }
if (-not $ServerUrl) { Fail 'a server URL is needed: -ServerUrl or CAST2MD_SERVER_URL' }
if (-not $Name) { $Name = Ask 'Node name' ([Environment]::MachineName) }

New-Item -ItemType Directory -Force $State | Out-Null
Test-Ffmpeg
Install-Binary
if (-not (Test-Path $NodeJson)) {
  $registerArgs = @('node', 'register', '--server', $ServerUrl, '--name', $Name)
  if ($Token) { $registerArgs += @('--token', $Token) }
  & $Exe @registerArgs
  if ($LASTEXITCODE -ne 0) { Fail "registration with $ServerUrl failed" }
}
Start-Configured $Service
Say "installed the cast2md node ($Service); helpers: $State\{start,stop,restart,logs,status}.cmd; log: $LogFile"
