"""The code judge: run untrusted Python 3 / C++ programs against CodeContests-style tests in a sandbox.

- ``judge.session.JudgeSession(problems, ...)``: the Python API: ``submit()`` solutions as they come, ``results()``
  as they finish (bounded queues), ``judge_batch()`` for RL rewards; one sandbox pool for the session's life.
- ``judge.engine.judge_solutions(problems, solutions, ...)``: the one-shot wrapper, one ``Verdict`` per solution.
- ``judge.sandbox``: the Docker pool (what is and is not protected is in its module docstring).
- ``judge.bwrap``: the bubblewrap fallback (and what it cannot protect).
- ``judge.runner_in_container``: the stdlib-only runner inside the sandbox (limits and the result protocol).
- ``judge.compare``: ``alphacode`` / ``strict`` / ``exit0`` comparators.
- ``judge.image``: the offline image build (debootstrap + ``docker import``), cached by content hash, one builder at
  a time (``judge.buildlock``), a killed build's mounts undone before its directory goes (``judge.mounts``).
- ``judge.preflight``: is there a sandbox here; if so, its image made ready (before a pipeline queues its runs).
- ``judge.humaneval``: HumanEval as judge problems.

Nothing here imports heavy modules at import time; docker-py loads when a pool starts.
"""
