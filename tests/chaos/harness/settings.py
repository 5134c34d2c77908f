"""The run's knobs, all read from the environment once (README.md lists them)."""

import os
import random
import secrets
from dataclasses import dataclass, field


def _number(name, default, kind=float):
    raw = os.environ.get(name, "")
    if raw == "":
        return kind(default)
    try:
        return kind(raw)
    except ValueError:
        raise SystemExit(f"chaos: {name} must be a number, got '{raw}'")


def _range(name, default):
    raw = os.environ.get(name, default)
    low, _, high = raw.partition("-")
    try:
        low, high = float(low), float(high or low)
    except ValueError:
        raise SystemExit(f"chaos: {name} must be LOW-HIGH seconds, got '{raw}'")
    if low <= 0 or high < low:
        raise SystemExit(f"chaos: {name} must be 0 < LOW <= HIGH, got '{raw}'")
    return low, high


FAULT_KINDS = ("kill", "stop", "pg")


@dataclass
class Settings:
    root: str
    work: str
    seconds: float = field(default_factory=lambda: _number("CHAOS_SECONDS", 60))
    visitors: int = field(default_factory=lambda: _number("CHAOS_VISITORS", 24, int))
    chargers: int = field(default_factory=lambda: _number("CHAOS_CHARGERS", 4, int))
    seed: int = field(default_factory=lambda: _number("CHAOS_SEED", random.randrange(1 << 31), int))
    capacity: int = field(default_factory=lambda: _number("CHAOS_QUEUE_CAPACITY", 16, int))
    token_ttl: int = field(default_factory=lambda: _number("CHAOS_TOKEN_TTL_SECONDS", 20, int))
    hold_ttl: int = field(default_factory=lambda: _number("CHAOS_HOLD_TTL_SECONDS", 5, int))
    recovery_grace: int = field(default_factory=lambda: _number("CHAOS_RECOVERY_GRACE_SECONDS", 5, int))
    fault_gap: tuple = field(default_factory=lambda: _range("CHAOS_FAULT_GAP_SECONDS", "1-4"))
    kill_down: tuple = field(default_factory=lambda: _range("CHAOS_KILL_DOWN_SECONDS", "1-3"))
    stop_for: tuple = field(default_factory=lambda: _range("CHAOS_STOP_SECONDS", "6-9"))
    pg_down: tuple = field(default_factory=lambda: _range("CHAOS_PG_DOWN_SECONDS", "1-3"))
    faults: tuple = field(default_factory=lambda: tuple(
        k for k in os.environ.get("CHAOS_FAULTS", ",".join(FAULT_KINDS)).split(",") if k))
    grace: float = field(default_factory=lambda: _number("CHAOS_GRACE_SECONDS", 5))
    settle: float = field(default_factory=lambda: _number("CHAOS_SETTLE_SECONDS", 60))
    retry_budget: float = field(default_factory=lambda: _number("CHAOS_RETRY_BUDGET_SECONDS", 45))
    client_timeout: float = field(default_factory=lambda: _number("CHAOS_CLIENT_TIMEOUT_SECONDS", 5))
    pg_ready_limit: float = field(default_factory=lambda: _number("CHAOS_PG_READY_LIMIT_SECONDS", 5))
    keep: bool = field(default_factory=lambda: os.environ.get("CHAOS_KEEP", "0") == "1")
    nginx: str = field(default_factory=lambda: os.environ.get("NGINX", "/usr/sbin/nginx"))
    pg_bin: str = field(default_factory=lambda: os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

    def __post_init__(self):
        unknown = set(self.faults) - set(FAULT_KINDS)
        if unknown or not self.faults:
            raise SystemExit(f"chaos: CHAOS_FAULTS takes {','.join(FAULT_KINDS)}, got {sorted(unknown)}")
        if self.visitors < 1 or self.seconds <= 0:
            raise SystemExit("chaos: CHAOS_VISITORS and CHAOS_SECONDS must be positive")
        build = os.environ.get("CHAOS_BUILD_DIR") or os.path.join(self.root, "build", "debug")
        self.binaries = {
            service: os.environ.get(f"{service.upper()}_SERVICE_BINARY")
            or os.path.join(build, "services", service, f"{service}-service")
            for service in ("queue", "concert", "payment")
        }
        for service, path in self.binaries.items():
            if not os.access(path, os.X_OK):
                raise SystemExit(f"chaos: no {service} service binary at {path} "
                                 f"(build it: cmake --preset debug && cmake --build --preset debug)")
        self.logs = os.path.join(self.work, "logs")
        self.admin_key = "chaos-admin-key"
        # INTERNAL_API_KEY of the gateway and every replica (the payment service sends it through
        # the internal balancer, which passes it on).
        self.internal_key = "chaos-internal-key-" + secrets.token_hex(8)
