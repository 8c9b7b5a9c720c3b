#!/usr/bin/env python3
"""Readiness probes for deploy/infra.sh, standard library only.

    probe.py kafka HOST PORT   Kafka answers ApiVersions and a Metadata request
                               listing at least one broker.
    probe.py mongo HOST PORT   A MongoDB-wire server (FerretDB) answers OP_MSG
                               {hello: 1} with ok: 1.
    probe.py port HOST PORT    Something accepts TCP connections.

Exit status 0 when ready (a one-line summary goes to stdout), 1 otherwise (the
reason goes to stderr). Every network step has a short timeout, so the caller
can poll in a loop.
"""

from __future__ import annotations

import socket
import struct
import sys

TIMEOUT_S = 3.0


class ProbeError(Exception):
    pass


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ProbeError("connection closed by peer")
        buf += chunk
    return bytes(buf)


def _connect(host: str, port: int) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=TIMEOUT_S)
    except OSError as exc:
        raise ProbeError(f"cannot connect to {host}:{port}: {exc}") from exc


# --------------------------------------------------------------------------- Kafka
# Wire format: int32 size | request header v1 | body. Response: int32 size |
# int32 correlation id | body (response header v0 for the versions used here).

API_METADATA = 3
API_VERSIONS = 18
CLIENT_ID = b"civic-inbox-probe"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ProbeError("truncated Kafka response")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values[0] if len(values) == 1 else values

    def string(self) -> str | None:  # int16 length, -1 = null
        length = self.take(">h")
        if length < 0:
            return None
        raw = self.data[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", "replace")


def _kafka_call(sock: socket.socket, api_key: int, version: int, corr: int, body: bytes) -> _Reader:
    header = struct.pack(">hhih", api_key, version, corr, len(CLIENT_ID)) + CLIENT_ID
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    size = struct.unpack(">i", _recv_exact(sock, 4))[0]
    reader = _Reader(_recv_exact(sock, size))
    if reader.take(">i") != corr:
        raise ProbeError("Kafka response has an unexpected correlation id")
    return reader


def probe_kafka(host: str, port: int) -> str:
    with _connect(host, port) as sock:
        # ApiVersions v0 (empty body) is answered by every broker version.
        r = _kafka_call(sock, API_VERSIONS, 0, 1, b"")
        error_code = r.take(">h")
        if error_code != 0:
            raise ProbeError(f"ApiVersions returned error code {error_code}")
        ranges = {}
        for _ in range(r.take(">i")):
            key, lo, hi = r.take(">hhh")
            ranges[key] = (lo, hi)
        if API_METADATA not in ranges:
            raise ProbeError("broker does not advertise the Metadata API")

        # Metadata v4..v8 share the non-flexible layout used below
        # (Kafka 4 dropped v0-v3, so do not go lower than 4).
        lo, hi = ranges[API_METADATA]
        version = max(lo, 4)
        if version > min(hi, 8):
            return f"kafka {host}:{port}: ApiVersions ok (Metadata v{lo}-v{hi} not probed)"
        body = struct.pack(">i?", 0, False)  # no topics, no auto-creation
        if version >= 8:
            body += struct.pack(">??", False, False)
        r = _kafka_call(sock, API_METADATA, version, 2, body)
        r.take(">i")  # throttle_time_ms
        brokers = []
        for _ in range(r.take(">i")):
            node_id = r.take(">i")
            broker_host = r.string()
            broker_port = r.take(">i")
            r.string()  # rack
            brokers.append(f"{node_id}@{broker_host}:{broker_port}")
        cluster_id = r.string()
        if not brokers:
            raise ProbeError("Metadata response lists no brokers yet")
        return f"kafka {host}:{port}: cluster {cluster_id}, brokers {', '.join(brokers)}"


# --------------------------------------------------------------------------- MongoDB wire

OP_MSG = 2013


def _bson_encode(doc: dict) -> bytes:
    """Encode a flat document of str/int values (all a hello command needs)."""
    out = bytearray()
    for key, value in doc.items():
        name = key.encode() + b"\x00"
        if isinstance(value, int):
            out += b"\x10" + name + struct.pack("<i", value)
        else:
            raw = str(value).encode() + b"\x00"
            out += b"\x02" + name + struct.pack("<i", len(raw)) + raw
    return struct.pack("<i", len(out) + 5) + bytes(out) + b"\x00"


# Payload size of fixed-size BSON types; variable-size ones are handled below.
_BSON_FIXED = {0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0A: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16, 0x7F: 0, 0xFF: 0}


def _bson_top_level(data: bytes) -> dict:
    """Decode the top-level scalars of a BSON document (nested values are skipped)."""
    result, pos, end = {}, 4, struct.unpack_from("<i", data)[0] - 1
    while pos < end:
        etype = data[pos]
        name_end = data.index(b"\x00", pos + 1)
        name = data[pos + 1 : name_end].decode()
        pos = name_end + 1
        if etype in _BSON_FIXED:
            size = _BSON_FIXED[etype]
            raw = data[pos : pos + size]
            if etype == 0x01:
                result[name] = struct.unpack("<d", raw)[0]
            elif etype == 0x08:
                result[name] = raw == b"\x01"
            elif etype == 0x10:
                result[name] = struct.unpack("<i", raw)[0]
            elif etype == 0x12:
                result[name] = struct.unpack("<q", raw)[0]
        elif etype in (0x02, 0x0D, 0x0E):  # string, JS code, symbol
            size = 4 + struct.unpack_from("<i", data, pos)[0]
            result[name] = data[pos + 4 : pos + size - 1].decode("utf-8", "replace")
        elif etype in (0x03, 0x04):  # embedded document / array
            size = struct.unpack_from("<i", data, pos)[0]
        elif etype == 0x05:  # binary: int32 length, subtype byte, bytes
            size = 5 + struct.unpack_from("<i", data, pos)[0]
        elif etype == 0x0B:  # regex: two cstrings
            size = data.index(b"\x00", data.index(b"\x00", pos) + 1) + 1 - pos
        else:
            break  # unusual type: stop, callers only need leading scalars
        pos += size
    return result


def probe_mongo(host: str, port: int) -> str:
    doc = _bson_encode({"hello": 1, "$db": "admin"})
    body = struct.pack("<I", 0) + b"\x00" + doc  # flagBits, section kind 0, document
    header = struct.pack("<iiii", 16 + len(body), 1, 0, OP_MSG)
    with _connect(host, port) as sock:
        sock.sendall(header + body)
        length, _req_id, response_to, opcode = struct.unpack("<iiii", _recv_exact(sock, 16))
        payload = _recv_exact(sock, length - 16)
    if opcode != OP_MSG or response_to != 1:
        raise ProbeError(f"unexpected reply (opcode {opcode}, responseTo {response_to})")
    if payload[4] != 0:
        raise ProbeError("reply does not start with a body section")
    reply = _bson_top_level(payload[5:])
    if reply.get("ok") != 1:
        raise ProbeError(f"hello failed: {reply.get('errmsg', reply)}")
    return f"mongo {host}:{port}: hello ok (maxWireVersion {reply.get('maxWireVersion', '?')})"


def probe_port(host: str, port: int) -> str:
    _connect(host, port).close()
    return f"{host}:{port} accepts connections"


PROBES = {"kafka": probe_kafka, "mongo": probe_mongo, "port": probe_port}


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in PROBES:
        print(__doc__, file=sys.stderr)
        return 2
    kind, host, port = argv[1], argv[2], int(argv[3])
    try:
        print(PROBES[kind](host, port))
        return 0
    except (ProbeError, OSError, ValueError, IndexError, struct.error) as exc:
        print(f"{kind} {host}:{port}: not ready: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
