#!/usr/bin/env python3
"""Writes experiments/data/shapes: a small colour image data set for the own-data example (and,
with arguments, larger sets for benchmarks/own-data).

Three classes (circle, square, triangle) of one random colour on a darker random background,
at random sizes and positions, 48x40 pixels (not square, so the example exercises the centre crop
and resize); 600 training and 150 test images in train/<class>/ and test/<class>/. Deterministic:
the same Pillow gives the same files (PNG compression level 9, no metadata).
"""
import os
import random
import sys

from PIL import Image, ImageDraw

def main(root, width=48, height=40, train=200, test=50):
    rng = random.Random(0)
    scale = min(width, height) / 40
    for split, per_class in (("train", train), ("test", test)):
        for name in ("circle", "square", "triangle"):
            folder = os.path.join(root, split, name)
            os.makedirs(folder, exist_ok=True)
            for i in range(per_class):
                background = tuple(rng.randrange(0, 90) for _ in range(3))
                colour = tuple(rng.randrange(110, 256) for _ in range(3))
                image = Image.new("RGB", (width, height), background)
                draw = ImageDraw.Draw(image)
                r = round(rng.randrange(7, 16) * scale)
                x = rng.randrange(r + 2 + (width - height) // 2, width - r - 2 - (width - height) // 2)
                y = rng.randrange(r + 2, height - r - 2)
                if name == "circle":
                    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
                elif name == "square":
                    draw.rectangle((x - r, y - r, x + r, y + r), fill=colour)
                else:
                    draw.polygon([(x, y - r), (x - r, y + r), (x + r, y + r)], fill=colour)
                image.save(os.path.join(folder, f"{i:03d}.png"), optimize=False, compress_level=9)

if __name__ == "__main__":
    # make-shapes.py [OUT [WIDTH HEIGHT TRAIN_PER_CLASS TEST_PER_CLASS]]; the defaults make the committed set.
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "experiments", "data", "shapes")
    sizes = [int(a) for a in sys.argv[2:6]] if len(sys.argv) >= 6 else []
    main(out, *sizes)
