# cast2md — one Native-AOT binary (./bin/cast2md) plus whisper.cpp's runtime beside it (bin/runtimes/).
#   make setup   install missing tools, publish ./bin/cast2md (a CUDA build of whisper.cpp too when nvcc is there)
#   make test    all tests; prints "N passed, N failed"
#   make unit    the specs that start no programs (no published binary needed); SPEC=Name runs the matching ones
#   make bench   the figures in BENCHMARKS.md
#   make images  the server and node container images (podman or docker), runtime stage from ./bin
#   make dist    release archives of ./bin and the node edition (dist/cast2md[-node]-VERSION-RID.tar.gz), SHA256SUMS, installers
SHELL := /bin/bash
.DEFAULT_GOAL := setup

UNAME_S := $(shell uname -s)
UNAME_M := $(shell uname -m)
ifeq ($(UNAME_S),Darwin)
  OS_RID := osx
else
  OS_RID := linux
endif
ifneq ($(filter arm64 aarch64,$(UNAME_M)),)
  ARCH_RID := arm64
else
  ARCH_RID := x64
endif
RID ?= $(OS_RID)-$(ARCH_RID)
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
# .NET global tools (pwsh, which scripts/install-deps.sh installs there for the install.ps1 specs).
export PATH := $(HOME)/.dotnet/tools:$(PATH)

# What a publish is built from (not obj/ or bin/, which every build rewrites and would make each publish look stale).
SOURCES := $(shell find cli lib tui \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.xml' \) -print 2>/dev/null) Directory.Build.props Directory.Packages.props VERSION
# The version built in: the checkout's newest v-tag (git describe: 0.2.0 on the tag, 0.2.0-3-gabc1234 after it), else
# the VERSION file (a checkout without tags, a source archive).
VERSION := $(shell git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//' | grep . || cat VERSION)

.PHONY: setup deps native whisper-cli publish publish-node build format test unit bench dist images clean help cuda-configure

help:
	@sed -n '2,7p' Makefile

setup: deps native publish
	@echo "ready: ./bin/cast2md ($$(du -sh bin | cut -f1)); try: ./bin/cast2md transcribe ../shared/audio/jfk.wav --model ../shared/models/ggml-tiny-q8_0.bin"

deps:
	@scripts/install-deps.sh
	@command -v $(DOTNET) >/dev/null || { echo "the .NET 10 SDK is missing: https://dotnet.microsoft.com/download (or Debian: see README)"; exit 1; }

# whisper.cpp from source: only what NuGet's prebuilt CPU runtime does not cover (CUDA when nvcc is found, or what
# CAST2MD_GPU asks for: cpu = a build for this CPU, metal, coreml). Installed under .native/runtimes/.
native:
	@if [ -n "$${CAST2MD_GPU:-}" ] || command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; then scripts/install-deps.sh --native; fi
	@native/build-whisper.sh

# whisper-cli from the pinned source, for benchmarks (with the CPU build for this machine beside it).
whisper-cli:
	@scripts/install-deps.sh --native
	@CAST2MD_GPU=$${CAST2MD_GPU:-cpu} native/build-whisper.sh

publish: bin/cast2md

# The node edition (cli/Infrastructure/Edition.cs): the same program without serve, mcp, import and monitor, for
# transcriber machines; install.sh takes it for a node when a release carries it. In ./bin-node.
publish-node: bin-node/cast2md

# $(call publish_to,DIR,EDITION): publish the Native AOT binary into DIR. Any trimming/AOT warning (IL2xxx/IL3xxx) fails it.
define publish_to
	@echo "publishing Native AOT binary $(VERSION) ($(2) edition) for $(RID) into ./$(1)"
	@set -o pipefail; $(DOTNET) publish cli/Cast2md.Cli.csproj -c Release -r $(RID) -o $(1) -p:Version=$(VERSION) -p:Cast2mdEdition=$(2) -p:DebugType=none -p:StripSymbols=true 2>&1 | tee .publish-$(2).log | grep -E "error|warning|->" || true
	@if grep -qE "(warning|error) IL[23][0-9]{3}" .publish-$(2).log; then echo "AOT/trim analysis warnings (see .publish-$(2).log):"; grep -E "IL[23][0-9]{3}" .publish-$(2).log | sort -u; rm -f $(1)/cast2md; exit 1; fi
	@grep -q "Build succeeded\|->.*$(1)/" .publish-$(2).log || { tail -n 30 .publish-$(2).log; exit 1; }
	@rm -f $(1)/libwhisper* $(1)/libggml* $(1)/*.dbg $(1)/*.pdb
	@if [ -d .native/runtimes ]; then cp -a .native/runtimes/. $(1)/runtimes/ && find $(1)/runtimes -name .stamp -delete; fi
	@# The native libraries ship with their symbol tables (debugging only): dropped, a node installs 0.4 MB smaller.
	@if [ "$(UNAME_S)" = Linux ] && command -v strip >/dev/null; then find $(1) -name '*.so*' -type f -exec strip --strip-unneeded {} +; fi
	@touch $(1)/cast2md
endef

# Publishing is skipped when no source changed.
bin/cast2md: $(SOURCES) $(wildcard .native/runtimes/*/*/.stamp)
	$(call publish_to,bin,full)

bin-node/cast2md: $(SOURCES) $(wildcard .native/runtimes/*/*/.stamp)
	$(call publish_to,bin-node,node)

build:
	@$(DOTNET) build Cast2md.sln -c Release

# Every build checks the layout of the C# files (CSharpier, Directory.Build.props) and fails on one it would change;
# this rewrites them instead.
format:
	@$(DOTNET) build Cast2md.sln -c Release -p:CSharpier_Check=false

# Specs stop child processes with Ctrl+C (SIGINT). A shell that starts `make test` in the background (`cmd &` in a
# script, some CI runners) leaves SIGINT ignored, and ignored signals are inherited: reset it where env can.
RESET_SIGINT := $(shell env --default-signal=INT true >/dev/null 2>&1 && echo "env --default-signal=INT,QUIT")

# $(call run_specs,FILTER,SHOWN): the specs (FILTER: dotnet test's --filter, empty for all), the output lines that
# match SHOWN, then the "N passed, N failed" line CI reads. SPEC=Name narrows either target to matching specs.
define run_specs
	@rm -rf TestResults
	@$(RESET_SIGINT) $(DOTNET) test Cast2md.sln -c Release --logger "trx" --logger "console;verbosity=normal" --results-directory TestResults \
		$(if $(1),--filter "$(1)") 2>&1 | grep -E "$(2)" || true
	@scripts/test-summary.sh TestResults
endef
SPEC_FILTER = $(if $(SPEC),FullyQualifiedName~$(SPEC))

test: setup publish-node
	$(call run_specs,$(SPEC_FILTER),Passed |Failed |Skipped |error|Error Message|Assert|at Cast2md|Total tests|Passed!|Failed!)

# The specs that start no programs of their own (see tests/Cast2md.Tests/Infra/SpecKinds.cs): no published binary
# needed, a fraction of the time. One spec: make unit SPEC=Name_of_the_spec (any part of its full name).
unit: deps native
	$(call run_specs,Category!=Processes$(if $(SPEC),&$(SPEC_FILTER)),^\s+Failed |: error |Error Message|Assert|at Cast2md|Passed!|Failed!)

bench: whisper-cli setup
	@scripts/bench.sh

# DIST is the output folder, FLAVOUR the GPU build in the archive's name (cuda, metal; empty for CPU).
DIST ?= dist
FLAVOUR ?=
dist: publish publish-node
	@scripts/dist.sh "$(DIST)" "$(RID)" "$(FLAVOUR)"
	@BIN=bin-node EDITION=node scripts/dist.sh "$(DIST)" "$(RID)" "$(FLAVOUR)"

images: publish publish-node
	@scripts/images.sh

# The CUDA build path, configured only (for machines without nvcc this reports what is missing).
cuda-configure:
	@scripts/install-deps.sh --native
	@CAST2MD_GPU=cuda CAST2MD_NATIVE_CONFIGURE_ONLY=1 native/build-whisper.sh

clean:
	rm -rf bin bin-node dist TestResults .publish-*.log cli/bin cli/obj lib/bin lib/obj tui/bin tui/obj tests/*/bin tests/*/obj
