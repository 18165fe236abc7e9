"""A Google polyline decoder written from the spec, independent of the package's encoder (tests only)."""

from __future__ import annotations


def decode(encoded: str) -> list[tuple[float, float]]:
    """(lng, lat) pairs of an encoded polyline (precision 1e-5)."""
    coords, index, lat, lng = [], 0, 0, 0
    while index < len(encoded):
        values = []
        for _ in range(2):
            result, shift = 0, 0
            while True:
                b = ord(encoded[index]) - 63
                index += 1
                result |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            values.append(~(result >> 1) if result & 1 else result >> 1)
        lat, lng = lat + values[0], lng + values[1]
        coords.append((lng / 1e5, lat / 1e5))
    return coords
