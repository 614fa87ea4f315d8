import json

from motcua.integrations.client import IntegrationClient
from motcua.integrations.config import SystemConfig


def envelope(response):
    """A caller's parser: the national services' JSON envelope (raises ValueError on a malformed body)."""
    data = json.loads(response.content)
    if not isinstance(data, dict) or "error_code" not in data:
        raise ValueError("no error_code in the answer")
    return data


class Sleeps(list[float]):
    def __call__(self, seconds):
        self.append(seconds)


def client_for(url, sleeps=None, **overrides):
    values = {"name": "dvcqg", "base_url": url, "connect_timeout": 1.0, "read_timeout": 0.3, "max_attempts": 3,
              "backoff_base": 0.5, "backoff_max": 2.0, "breaker_failures": 50, "breaker_reset_seconds": 30.0}
    values.update(overrides)
    return IntegrationClient(SystemConfig(**values), sleep=sleeps if sleeps is not None else Sleeps())
