#!/usr/bin/env python3
"""Small PNG files in every colour type and bit depth, with their decoded pixel values as JSON,
for the decoder tests. Development time only.

Two independent encoders write them: PIL (the first files), and the small PNG writer below
(the colour types and depths PIL does not write: 2/4-bit gray, 16-bit gray+alpha/RGB/RGBA,
tRNS colour keys, Adam7 interlacing), which cycles through all five filter types row by row.
PIL reads every file back and must agree with the JSON (16-bit colour compared by high byte,
since PIL reads it at 8 bits).

JSON values are what CamAssert's decoder returns: palette expanded to RGB(A), tRNS as an alpha
channel, 1/2/4-bit gray scaled to 0..255 ("depth": 8), 16-bit kept ("depth": 16).

    /usr/bin/python3 tools/make_png_fixtures.py
"""
import json, os, struct, zlib
import numpy as np
from PIL import Image, PngImagePlugin

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images", "png")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
w, h = 7, 5
cases = {}


def save(name, img, values, channels, depth, **kw):
    img.save(os.path.join(OUT, name), **kw)
    cases[name] = {"width": w, "height": h, "channels": channels, "depth": depth, "samples": [int(v) for v in np.asarray(values).reshape(-1)]}


rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
save("rgb8.png", Image.fromarray(rgb, "RGB"), rgb, 3, 8)
rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
save("rgba8.png", Image.fromarray(rgba, "RGBA"), rgba, 4, 8)
gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
save("gray8.png", Image.fromarray(gray, "L"), gray, 1, 8)
la = rng.integers(0, 256, (h, w, 2), dtype=np.uint8)
save("graya8.png", Image.fromarray(la, "LA"), la, 2, 8)
g16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
save("gray16.png", Image.fromarray(g16.astype(np.int32), "I").convert("I;16"), g16, 1, 16)
bits = rng.integers(0, 2, (h, w), dtype=np.uint8)
save("gray1.png", Image.fromarray(bits * 255, "L").convert("1"), bits * 255, 1, 8)
pal = Image.fromarray(rgb, "RGB").quantize(colors=6)
save("palette.png", pal, np.asarray(pal.convert("RGB")), 3, 8)
pal_t = pal.copy()
pal_t.info["transparency"] = 0
values = np.concatenate([np.asarray(pal.convert("RGB")), np.where(np.asarray(pal) == 0, 0, 255)[..., None]], axis=2)
save("palette_trns.png", pal_t, values, 4, 8, transparency=0)

# --- more files by PIL: 1/2/4-bit palettes, text chunks, a tiny image the tests spell out ---
rng2 = np.random.default_rng(11)
for bits in (1, 2, 4):
    idx = rng2.integers(0, 1 << bits, (h, w), dtype=np.uint8)
    p = Image.fromarray(idx, "P")
    colors = rng2.integers(0, 256, (1 << bits) * 3, dtype=np.uint8)
    p.putpalette([int(c) for c in colors])
    save(f"palette{bits}.png", p, colors.reshape(-1, 3)[idx], 3, 8, bits=bits)
info = PngImagePlugin.PngInfo()
info.add_text("camassert:layer", "backbone.layer4")
info.add_text("Comment", "compressed " * 20, zip=True)
info.add_itxt("Title", "Grad-CAM → Kreis ✓", lang="de", tkey="Titel")
info.add_itxt("Description", "zipped ünïcödé " * 10, zip=True)
save("text.png", Image.fromarray(gray, "L"), gray, 1, 8, pnginfo=info)
cases["text.png"]["text"] = {"camassert:layer": "backbone.layer4", "Comment": "compressed " * 20,
                             "Title": "Grad-CAM → Kreis ✓", "Description": "zipped ünïcödé " * 10}
tiny = np.array([[[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]],
                 [[255, 255, 255, 255], [0, 0, 0, 255], [128, 128, 128, 0]]], dtype=np.uint8)
Image.fromarray(tiny, "RGBA").save(os.path.join(OUT, "tiny.png"))  # the tests spell out its pixels


# --- the independent writer ---
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """A row of stored samples (ints) as bytes: MSB-first bit packing below 8 bits, big-endian at 16."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    out, per = bytearray(), 8 // depth
    for i in range(0, len(samples), per):
        byte = 0
        for k in range(per):
            v = int(samples[i + k]) if i + k < len(samples) else 0
            byte |= v << (8 - depth * (k + 1))
        out.append(byte)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_row(kind, row, prev, bpp):
    out = bytearray()
    for x in range(len(row)):
        a = row[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((row[x] - pred) & 0xFF)
    return bytes([kind]) + bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write(name, stored, depth, ctype, interlaced=False, plte=None, trns=None):
    """stored: (h, w, samples per pixel) array of the values as stored in the file."""
    hh, ww, spp = stored.shape
    bpp = max(1, spp * depth // 8)
    raw, row_no = bytearray(), 0
    for x0, y0, dx, dy in (ADAM7 if interlaced else [(0, 0, 1, 1)]):
        sub = stored[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        prev = bytes(len(pack_row(sub[0].reshape(-1), depth)))
        for r in sub:
            row = pack_row(r.reshape(-1), depth)
            raw += filter_row(row_no % 5, row, prev, bpp)
            prev, row_no = row, row_no + 1
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", ww, hh, depth, ctype, 0, 0, 1 if interlaced else 0))
    if plte is not None:
        data += chunk(b"PLTE", bytes(int(v) for v in plte.reshape(-1)))
    if trns is not None:
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def case(name, stored, depth, ctype, decoded, out_channels, out_depth, pil_check, **kw):
    write(name, stored, depth, ctype, **kw)
    hh, ww = stored.shape[:2]
    cases[name] = {"width": ww, "height": hh, "channels": out_channels, "depth": out_depth,
                   "samples": [int(v) for v in np.asarray(decoded).reshape(-1)]}
    with Image.open(os.path.join(OUT, name)) as im:
        im.load()
        got, want = pil_check(im)
        same = all(np.array_equal(g, v) for g, v in zip(got, want)) if isinstance(got, tuple) else np.array_equal(got, want)
        assert same, f"PIL disagrees on {name}"


rng3 = np.random.default_rng(23)
as_is = lambda values: (lambda im: (np.asarray(im), values))
high_byte = lambda values: (lambda im: (np.asarray(im), (values >> 8).astype(np.uint8)))
for depth in (2, 4):
    g = rng3.integers(0, 1 << depth, (h, w, 1))
    scaled = g * (255 // ((1 << depth) - 1))
    case(f"gray{depth}.png", g, depth, 0, scaled, 1, 8, as_is(scaled[..., 0]))
la16 = rng3.integers(0, 65536, (h, w, 2))
case("graya16.png", la16, 16, 4, la16, 2, 16, lambda im: (np.asarray(im.convert("LA")), (la16 >> 8).astype(np.uint8)))  # PIL reads it as RGBA
rgb16 = rng3.integers(0, 65536, (h, w, 3))
case("rgb16.png", rgb16, 16, 2, rgb16, 3, 16, high_byte(rgb16))
rgba16 = rng3.integers(0, 65536, (h, w, 4))
case("rgba16.png", rgba16, 16, 6, rgba16, 4, 16, high_byte(rgba16))

# tRNS colour keys: pixels equal to the key become transparent.
g8 = rng3.integers(0, 4, (h, w, 1)) * 60
alpha = np.where(g8 == 120, 0, 255)
case("gray8_trns.png", g8, 8, 0, np.concatenate([g8, alpha], 2), 2, 8,
     lambda im: (np.asarray(im.convert("LA")), np.concatenate([g8, alpha], 2)), trns=struct.pack(">H", 120))
g4 = rng3.integers(0, 16, (h, w, 1))
alpha4 = np.where(g4 == 5, 0, 255)
case("gray4_trns.png", g4, 4, 0, np.concatenate([g4 * 17, alpha4], 2), 2, 8,
     # PIL keeps the raw key (5) but scales the samples, so its own LA conversion misses; check gray and key.
     lambda im: ((np.asarray(im), im.info["transparency"]), (g4[..., 0] * 17, 5)), trns=struct.pack(">H", 5))
c8 = rng3.integers(0, 2, (h, w, 3)) * 200
alpha_c = np.where((c8 == [200, 0, 200]).all(2, keepdims=True), 0, 255)
case("rgb8_trns.png", c8, 8, 2, np.concatenate([c8, alpha_c], 2), 4, 8,
     lambda im: (np.asarray(im.convert("RGBA")), np.concatenate([c8, alpha_c], 2)), trns=struct.pack(">HHH", 200, 0, 200))
g16 = rng3.integers(0, 3, (h, w, 1)) * 30000
alpha16 = np.where(g16 == 30000, 0, 65535)
case("gray16_trns.png", g16, 16, 0, np.concatenate([g16, alpha16], 2), 2, 16,
     lambda im: (np.asarray(im), g16[..., 0]), trns=struct.pack(">H", 30000))

# Adam7: 11×9 exercises every pass, partial 8×8 tiles and, at 1 bit, partial bytes.
W, H = 11, 9
i_rgb = rng3.integers(0, 256, (H, W, 3))
case("interlaced_rgb8.png", i_rgb, 8, 2, i_rgb, 3, 8, as_is(i_rgb), interlaced=True)
i_g1 = rng3.integers(0, 2, (H, W, 1))
case("interlaced_gray1.png", i_g1, 1, 0, i_g1 * 255, 1, 8, lambda im: (np.asarray(im.convert("L")), i_g1[..., 0] * 255), interlaced=True)
i_pal = rng3.integers(0, 16, (H, W, 1))
pal = rng3.integers(0, 256, (16, 3))
case("interlaced_palette4.png", i_pal, 4, 3, pal[i_pal[..., 0]], 3, 8,
     lambda im: (np.asarray(im.convert("RGB")), pal[i_pal[..., 0]]), interlaced=True, plte=pal)
i_rgba16 = rng3.integers(0, 65536, (5, 6, 4))
case("interlaced_rgba16.png", i_rgba16, 16, 6, i_rgba16, 4, 16, high_byte(i_rgba16), interlaced=True)
i_la = rng3.integers(0, 256, (3, 2, 2))
case("interlaced_graya8_3x2.png", i_la, 8, 4, i_la, 2, 8, as_is(i_la), interlaced=True)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(cases, f, separators=(",", ":"))
print(sorted(os.listdir(OUT)), sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT)), "bytes")
