"""The model card: what a model was trained on, how well it did, and what it is for (a read-only dict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ModelCard"]


@dataclass(frozen=True)
class ModelCard:
    """What a model was trained on, how well it did, and what it is for."""

    fields: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.fields)

    def __str__(self) -> str:
        lines = []
        for k, v in self.fields.items():
            if isinstance(v, dict):
                lines.append(f"{k}:")
                lines.extend(f"  {kk}: {_fmt(vv)}" for kk, vv in v.items())
            else:
                lines.append(f"{k}: {_fmt(v)}")
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, dict):
        return ", ".join(f"{k} {_fmt(x)}" for k, x in v.items())
    return str(v)
