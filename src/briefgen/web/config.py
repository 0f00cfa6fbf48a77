"""What `briefgen serve` was started with, checked before the server binds.

A page on 127.0.0.1 is reachable only from this machine, so it needs no login. Any other address
is reachable by others: then the server must know who is asking, either by a shared token (asked
once per browser, then a session cookie) or by the REMOTE_USER an office SSO proxy sets.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ..defaults import MAX_BYTES, MAX_CHARS
from ..errors import SettingError


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost`; anything else (0.0.0.0, a LAN address, a name) is not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, kw_only=True)
class WebConfig:
    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    trust_remote_user: bool = False
    manifest: Path | None = None
    max_bytes: int = MAX_BYTES  # as `briefgen extract/build`
    max_chars: int = MAX_CHARS

    def __post_init__(self) -> None:
        # The errors name the settings, not the flags: `briefgen serve` phrases them as its options.
        if self.token is not None and len(self.token) < 8:
            raise SettingError("token", None, "must be at least 8 characters")
        if self.token and self.trust_remote_user:
            raise SettingError("token", None, "cannot be combined with trusting the remote user: choose one")
        if not is_loopback(self.host) and not (self.token or self.trust_remote_user):
            raise SettingError(
                "host",
                self.host,
                "is reachable from other machines: it needs a token (asked once per browser) or a "
                "trusted remote user (behind an SSO proxy that sets REMOTE_USER)",
                remedies=("token", "trust_remote_user"),
            )
        if self.manifest is not None and not Path(self.manifest).is_file():
            raise SettingError("manifest", str(self.manifest), "does not exist")

    @property
    def local(self) -> bool:
        """One user, on this machine: no login, and folder fields may name any local path."""
        return not (self.token or self.trust_remote_user)

    @property
    def allowed_hosts(self) -> list[str]:
        """Host headers accepted: on loopback only loopback names (a DNS-rebinding page is refused)."""
        if is_loopback(self.host):
            return ["127.0.0.1", "localhost", "::1", "[::1]", self.host]
        return ["*"]
