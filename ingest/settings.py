"""One Settings object: code defaults < TOML file < NEWSFACTS_* environment < CLI flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ingest.errors import ConfigError

DEFAULT_CONFIG_FILE = "newsfacts.toml"


class Settings(BaseSettings):
    """Everything a run can be configured with."""

    model_config = SettingsConfigDict(env_prefix="NEWSFACTS_", extra="forbid")

    database_url: str = "sqlite:///newsfacts.db"
    user_agent: str = "newsfacts/0.1 (+https://github.com/newsfacts/newsfacts)"
    contact: str | None = None
    allow_private_addresses: bool = False
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(20.0, gt=0)
    total_timeout: float = Field(30.0, gt=0)
    url_timeout: float = Field(60.0, gt=0)
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 8
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    respect_robots: bool = True
    max_crawl_delay: float = 60.0
    sitemap_max_children: int = 20
    sitemap_max_documents: int = Field(50, ge=0)
    sitemap_max_entries: int = Field(50_000, ge=1)
    sitemap_max_age_days: int = 30
    max_urls_per_source: int = Field(1_000, ge=1)
    max_urls_per_run: int = Field(10_000, ge=1)
    sources_file: str = "sources.toml"
    poll_interval_min: int = 900
    poll_interval_max: int = 86400
    lock_stale_after: float = 120.0
    heartbeat_interval: float = 10.0
    log_format: Literal["text", "json"] = "text"
    spacy_models: dict[str, list[str]] = Field(default_factory=dict)
    nlp_processes: int = Field(0, ge=0)
    store_batch: int = Field(32, ge=1)
    worker_concurrency: int = Field(2, ge=1)
    worker_stalled_seconds: float = Field(30.0, gt=0)
    poll_cron: str = "*/15 * * * *"
    query_timeout: float = Field(60.0, gt=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = os.environ.get("NEWSFACTS_CONFIG", DEFAULT_CONFIG_FILE)
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)),
        )

    @property
    def full_user_agent(self) -> str:
        """The User-Agent header, with the contact address when one is set."""
        return f"{self.user_agent} {self.contact}" if self.contact else self.user_agent


def load_settings(**overrides: Any) -> Settings:
    """Settings from all layers; flags given as keyword arguments win. None means unset."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc
