"""ServerGrader and `tutor grade --server` against a real llama.cpp server process.

The server is llama-cpp-python's own (``python -m llama_cpp.server``) serving the default
model's GGUF (Qwen2.5-Coder-1.5B) under the alias ``qwen-coder``: one server for the module,
three generated verdicts in all. It needs the package's server extras (fastapi, uvicorn,
sse-starlette, starlette-context, pydantic-settings), which the test extras install.
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import default_model_path, run_cli
from tutor.grading.base import GradeRequest
from tutor.grading.policy import GradingPolicy
from tutor.grading.rules import RulesGrader
from tutor.grading.safety import injection_held
from tutor.grading.server import ServerGrader

pytestmark = pytest.mark.slow

SERVER_EXTRAS = ("fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
MISSING = [name for name in SERVER_EXTRAS if importlib.util.find_spec(name) is None]

if MISSING:  # the test extras install them: a missing one is a broken set-up, not a skip
    raise ImportError(f"llama_cpp.server needs {', '.join(MISSING)}: "
                      "pip install -e '.[test]' (llama-cpp-python[server])")

REQUEST = GradeRequest("What is an epoch?", "1 complete pass through the training data",
                       "one full pass over the training data")


#: Generous: the server imports FastAPI and loads the 1.1 GB model on a busy 2-core machine.
START_TIMEOUT_S = 300
#: The name the server gives the model, and the one the tests ask for.
ALIAS = "qwen-coder"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = default_model_path()
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and stalls the server.
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", ALIAS,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "1024", "--n_threads", "2"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log_path.read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{url}/v1/models", timeout=5) as reply:
                    if reply.status == 200:
                        served = [m["id"] for m in json.load(reply)["data"]]
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start within {START_TIMEOUT_S} s: "
                                f"{log_path.read_text()[-500:]}")
                time.sleep(0.5)
        assert served == [ALIAS], served
        yield url
    finally:
        log.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_real_server_returns_a_verdict(server_url: str) -> None:
    grader = ServerGrader(server_url, model=ALIAS, timeout=300, max_tokens=48)
    result = grader.grade(REQUEST)
    assert 0 <= result.score <= 5 and result.grader == f"server:{ALIAS}"
    assert isinstance(result.feedback, str)


def test_policy_with_real_server_holds_injections(server_url: str) -> None:
    grader = ServerGrader(server_url, timeout=300, max_tokens=48)
    policy = GradingPolicy(RulesGrader(), [grader])
    assert injection_held(policy, REQUEST) == []


def test_cli_grade_with_server(server_url: str) -> None:
    Path(os.environ["TUTOR_CONFIG"]).write_text("[model]\ntimeout = 300\n", encoding="utf-8")
    stdin = "\n".join(json.dumps({"question": REQUEST.question, "reference": REQUEST.reference, "answer": a})
                      for a in ("one full pass over the training data", "idk")) + "\n"
    proc = run_cli("grade", "--server", server_url, "--model-name", ALIAS, stdin=stdin,
                   timeout=900)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(out) == 2 and out[1]["score"] == 0 and out[1]["grader"] == "rules"
    assert out[0]["grader"] == f"server:{ALIAS}" and 0 <= out[0]["score"] <= 5
    assert f"grading with server:{ALIAS}" in proc.stderr
