"""Checks of .ci/report-check: the screenshot is a real picture (not blank) and every <img> of
index.html loaded with a positive natural width. Uses only the standard library (zlib PNG
decoding), so it is independent of GenLab's own PNG code."""
import re
import struct
import sys
import zlib


def decode_png(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = header[:4]
    assert depth == 8 and color in (2, 6), f"unexpected PNG format depth {depth} colour {color}"
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def main():
    screenshot, dom, index = sys.argv[1], sys.argv[2], sys.argv[3]
    width, height, rows = decode_png(screenshot)
    colours = set()
    non_white = 0
    for row in rows[::4]:
        for pixel in row[::4]:
            colours.add(pixel)
            non_white += pixel != (255, 255, 255)
    sampled = len(rows[::4]) * len(rows[0][::4])
    if len(colours) < 50 or non_white < sampled // 50:
        sys.exit(f"report-check: FAIL: the screenshot looks blank ({len(colours)} colours, {non_white}/{sampled} non-white)")
    match = re.search(r'data-widths="([^"]*)"', dom)
    if not match:
        sys.exit("report-check: FAIL: the probe script did not run (no data-widths in the dumped DOM)")
    widths = [int(w) for w in match.group(1).split(",") if w]
    expected = len(re.findall(r"<img ", open(index, encoding="utf-8").read()))
    if len(widths) != expected or expected == 0:
        sys.exit(f"report-check: FAIL: {len(widths)} images in the page as rendered, {expected} in index.html")
    broken = [i for i, w in enumerate(widths) if w <= 0]
    if broken:
        sys.exit(f"report-check: FAIL: images {broken} of {len(widths)} did not load (natural width 0)")
    print(f"report-check: index.html rendered: screenshot {width}×{height} with {len(colours)} colours, "
          f"{len(widths)} images loaded (natural widths {min(widths)}–{max(widths)} px)")


main()
