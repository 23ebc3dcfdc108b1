"""Every address that a traced command connected to (or tried to), from `strace -f -e trace=connect -o FILE`.

    .ci/loopback strace -f -qq -e trace=connect -o /tmp/connects.txt .venv/bin/python -m pytest -m ray
    python bench/connects.py /tmp/connects.txt

Prints each address family and address with its count, and exits 1 if any IP address is not a loopback one
(127.0.0.0/8, ::1, or 127.x mapped into IPv6). Unix sockets and netlink are listed, not judged.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections import Counter

_INET = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
_FAMILY = re.compile(r"connect\(\d+, \{sa_family=(AF_\w+)")


def addresses(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in text.splitlines():
        family = _FAMILY.search(line)
        if not family:
            continue
        ip = _INET.search(line)
        found[f"{family.group(1)} {ip.group(1) or ip.group(2)}" if ip else family.group(1)] += 1
    return found


def loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def main() -> None:
    found = addresses(open(sys.argv[1], encoding="utf-8", errors="replace").read())
    outside = [a for a in found if a.startswith(("AF_INET ", "AF_INET6 ")) and not loopback(a.split()[1])]
    for address, n in found.most_common():
        print(f"{n:6d}  {address}")
    print(f"{sum(found.values())} connect calls; beyond loopback: {', '.join(outside) or 'none'}")
    sys.exit(1 if outside else 0)


if __name__ == "__main__":
    main()
