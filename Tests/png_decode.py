"""A PNG decoder independent of libpng, shared by the ReportTests and RunnerTests targets: chunk
CRCs, IHDR, IDAT inflated with zlib, and the five PNG filter types undone by hand (PNG spec §9).
Usage: python3 png_decode.py FILE; prints `width height channels hex filters`."""
import sys, struct, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    (n,) = struct.unpack('>I', data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    (crc,) = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
    assert crc == zlib.crc32(kind + body) & 0xffffffff, 'crc of ' + str(kind)
    pos += 12 + n
    if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT': idat += body
    elif kind == b'IEND': break
w, h, depth, ctype, comp, filt, interlace = ihdr
assert depth == 8 and comp == 0 and filt == 0 and interlace == 0, ihdr
ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride, out, prev, p, used = w * ch, bytearray(), bytearray(w * ch), 0, set()
for y in range(h):
    ft, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
    p += 1 + stride
    used.add(ft)
    for i in range(stride):
        a = line[i - ch] if i >= ch else 0
        b = prev[i]
        c = prev[i - ch] if i >= ch else 0
        if ft == 0: pr = 0
        elif ft == 1: pr = a
        elif ft == 2: pr = b
        elif ft == 3: pr = (a + b) // 2
        elif ft == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        else: raise ValueError('filter type %d' % ft)
        line[i] = (line[i] + pr) & 255
    out += line
    prev = line
assert p == len(raw), 'trailing image data'
print(w, h, ch, out.hex(), ','.join(map(str, sorted(used))))
