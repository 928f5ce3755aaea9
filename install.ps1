<#
.SYNOPSIS
  cast2md installer for Windows: the binary, node registration, a scheduled task (or a service), update, uninstall.
.DESCRIPTION
  Not run in this repository's CI (no PowerShell there); it mirrors install.sh.
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
  [string]$ServerUrl = $env:CAST2MD_SERVER_URL,
  [string]$Name = $env:CAST2MD_NODE_NAME,
  [string]$Token = $env:CAST2MD_REGISTRATION_TOKEN,
  [ValidateSet('', 'task', 'service', 'script', 'manual')][string]$Service = $env:CAST2MD_SERVICE,
  [switch]$AutoTerminate = ($env:CAST2MD_AUTO_TERMINATE -eq '1')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$State = Join-Path $HOME '.cast2md'
$BinDir = Join-Path $Prefix 'bin'
$Exe = Join-Path $BinDir 'cast2md.exe'
$Manifest = Join-Path $State 'install-node.conf'
$NodeJson = Join-Path $State 'node.json'
$LogFile = Join-Path $State 'node.log'
$TaskName = 'cast2md-node'
$Helpers = 'start', 'stop', 'restart', 'logs', 'status'

function Say([string]$m) { Write-Host "cast2md-install: $m" }
function Fail([string]$m) { Write-Error "cast2md-install: error: $m"; exit 1 }
function Ask([string]$question, [string]$default) {
  if ($Unattended) { return $default }
  $answer = Read-Host "$question [$default]"
  if ([string]::IsNullOrWhiteSpace($answer)) { return $default } else { return $answer }
}

function Install-Binary {
  $source = $null
  if ($Archive) {
    $tmp = Join-Path ([IO.Path]::GetTempPath()) ("cast2md-" + [guid]::NewGuid())
    New-Item -ItemType Directory $tmp | Out-Null
    $zip = Join-Path $tmp 'cast2md.zip'
    Say "downloading $Archive"
    Invoke-WebRequest -Uri $Archive -OutFile $zip -UseBasicParsing
    Expand-Archive $zip -DestinationPath $tmp
    $found = Get-ChildItem $tmp -Recurse -Filter cast2md.exe | Select-Object -First 1
    if (-not $found) { Fail "$Archive holds no cast2md.exe" }
    $source = $found.DirectoryName
  } elseif ($FromBuild) {
    $source = $FromBuild
  } elseif ($PSScriptRoot -and (Test-Path (Join-Path $PSScriptRoot 'bin\cast2md.exe'))) {
    $source = Join-Path $PSScriptRoot 'bin'
  } else {
    Fail 'give -Archive URL (a .zip with cast2md.exe and whisper.dll/ggml*.dll) or -FromBuild DIR'
  }
  New-Item -ItemType Directory -Force $BinDir | Out-Null
  Get-ChildItem $source -File | Where-Object { $_.Name -eq 'cast2md.exe' -or $_.Extension -eq '.dll' } |
    ForEach-Object { Copy-Item $_.FullName (Join-Path $BinDir $_.Name) -Force }
  & $Exe --version | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "$Exe does not run on this machine" }
  Say "installed $Exe"
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
  $action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument "/c `"$runner`"" -WorkingDirectory $State
  $trigger = New-ScheduledTaskTrigger -AtLogOn -User $env:USERNAME
  $settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1)
  Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -Description 'cast2md Transcriber Node' -Force | Out-Null
  Start-ScheduledTask -TaskName $TaskName
}

function Install-Service {
  $env_ = if ($AutoTerminate) { '' } else { 'NODE_PERSISTENT=1' }
  sc.exe create $TaskName binPath= "`"$Exe`" node start --no-browser" start= auto DisplayName= 'cast2md Transcriber Node' | Out-Null
  sc.exe failure $TaskName reset= 0 actions= restart/10000/restart/10000/restart/10000 | Out-Null
  $key = "HKLM:\SYSTEM\CurrentControlSet\Services\$TaskName"
  New-ItemProperty -Path $key -Name Environment -PropertyType MultiString -Force -Value @("CAST2MD_NODE_CONFIG=$NodeJson", $env_) | Out-Null
  sc.exe start $TaskName | Out-Null
}

function Remove-Services {
  if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
    Stop-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue
    Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
  }
  if (Get-Service $TaskName -ErrorAction SilentlyContinue) { sc.exe stop $TaskName | Out-Null; sc.exe delete $TaskName | Out-Null }
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
if (-not $Name) { $Name = Ask 'Node name' $env:COMPUTERNAME }

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
