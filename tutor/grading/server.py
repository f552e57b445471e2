"""`ServerGrader`: the same contract against any OpenAI-compatible chat endpoint.

Works with llama.cpp's server (and `python -m llama_cpp.server`), vLLM, Ollama and others:
POST ``<base>/v1/chat/completions`` with the grading prompt, JSON mode requested, and the
reply parsed defensively. Only the standard library is used.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from tutor.errors import ConfigError
from tutor.grading.base import GradeRequest, GradeResult, GradingError
from tutor.grading.injection import find_injection
from tutor.grading.prompt import build_messages, parse_verdict

MODEL_CONFIDENCE = 0.7
MAX_TOKENS = 128
#: Bytes read from a reply at most (a verdict is tiny; this guards against runaway servers).
MAX_REPLY_BYTES = 1 << 20


def chat_completions_url(url: str) -> str:
    """The endpoint for a server URL: 'http://host:8080', '.../v1' or the full path all work."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"server URL must start with http:// or https://: {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        return text
    if not path.endswith("/v1"):
        path += "/v1"
    return f"{parts.scheme}://{parts.netloc}{path}/chat/completions"


class ServerGrader:
    """Grades through an OpenAI-compatible server. Thread-safe (each grade is one request)."""

    def __init__(self, url: str, *, api_key: str = "", model: str = "", timeout: float = 8.0,
                 max_tokens: int = MAX_TOKENS, json_mode: bool = True) -> None:
        self.endpoint = chat_completions_url(url)
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.json_mode = json_mode
        self.name = f"server:{model or urlsplit(self.endpoint).netloc}"

    def grade(self, request: GradeRequest) -> GradeResult:
        """Ask the server for a verdict. Raises `GradingError` on any failure."""
        if find_injection(request.answer):
            return GradeResult(score=0, grader=self.name, confidence=0.99, veto="injection",
                               feedback="The answer tries to instruct the grader; it is scored 0.")
        body: dict[str, object] = {
            "messages": build_messages(request.question, request.reference, request.answer,
                                       request.alternatives),
            "temperature": 0,
            "max_tokens": self.max_tokens,
            "stream": False,
        }
        if self.model:
            body["model"] = self.model
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        reply = self._post(body)
        text = _reply_text(reply)
        score, feedback = parse_verdict(text)
        return GradeResult(score=score, feedback=feedback or "Graded by the server model.",
                           grader=self.name, confidence=MODEL_CONFIDENCE)

    def _post(self, body: dict[str, object]) -> object:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        data = json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.endpoint, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                raw = response.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            raise GradingError(f"server replied HTTP {exc.code}{detail}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise GradingError(f"server did not answer within {self.timeout:g} s") from None
            raise GradingError(f"cannot reach server {self.endpoint}: {reason}") from None
        except (socket.timeout, TimeoutError):
            raise GradingError(f"server did not answer within {self.timeout:g} s") from None
        except (OSError, ValueError) as exc:
            raise GradingError(f"server request failed: {exc}") from None
        if len(raw) > MAX_REPLY_BYTES:
            raise GradingError("server reply is too large")
        try:
            return json.loads(raw.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            raise GradingError("server reply is not JSON") from None


def _reply_text(reply: object) -> str:
    """The assistant message text of a chat-completions reply (defensive about shape)."""
    if not isinstance(reply, dict):
        raise GradingError("server reply has an unexpected shape")
    if "error" in reply and not reply.get("choices"):
        error = reply["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise GradingError(f"server error: {str(message)[:120]}")
    choices = reply.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise GradingError("server reply has no choices")
    choice = choices[0]
    message = choice.get("message")
    if isinstance(message, dict) and isinstance(message.get("content"), str):
        return message["content"]
    if isinstance(choice.get("text"), str):
        return choice["text"]
    raise GradingError("server reply has no message text")


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(exc.read(4096).decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        return ""
    if isinstance(payload, dict):
        error = payload.get("error", payload.get("detail"))
        if isinstance(error, dict):
            error = error.get("message")
        if error:
            return f": {str(error)[:120]}"
    return ""
