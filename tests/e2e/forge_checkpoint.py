#!/usr/bin/env python3
"""forge_checkpoint.py FILE OFFSET VALUE: writes the unsigned 64-bit VALUE (little-endian, as the
programs store it) at byte OFFSET of FILE's partial result and recomputes the CRC-32 (zlib's, over
every line before the crc32 line), as someone forging a checkpoint would: the file stays intact
by its checksum, only its contents lie."""
import struct
import sys
import zlib

path, offset, value = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, encoding="ascii").read().splitlines(keepends=True)
body = []
for line in lines:
    if line.startswith("crc32 "):
        break
    if line.startswith("partial "):
        raw = bytearray.fromhex(line.split()[1])
        struct.pack_into("<Q", raw, offset, value)
        line = "partial " + raw.hex() + "\n"
    body.append(line)
text = "".join(body)
crc = zlib.crc32(text.encode("ascii")) & 0xFFFFFFFF
with open(path, "w", encoding="ascii") as f:
    f.write(text + f"crc32 {crc:08x}\n")
