#!/usr/bin/env python3
"""Writes experiments/data/shapes: a small colour image data set for the own-data example.

Three classes (circle, square, triangle) of one random colour on a darker random background,
at random sizes and positions, 48x40 pixels (not square, so the example exercises the centre crop
and resize); 600 training and 150 test images in train/<class>/ and test/<class>/. Deterministic:
the same Pillow gives the same files (PNG compression level 9, no metadata).
"""
import os
import random
import sys

from PIL import Image, ImageDraw

def main(root):
    rng = random.Random(0)
    for split, per_class in (("train", 200), ("test", 50)):
        for name in ("circle", "square", "triangle"):
            folder = os.path.join(root, split, name)
            os.makedirs(folder, exist_ok=True)
            for i in range(per_class):
                background = tuple(rng.randrange(0, 90) for _ in range(3))
                colour = tuple(rng.randrange(110, 256) for _ in range(3))
                image = Image.new("RGB", (48, 40), background)
                draw = ImageDraw.Draw(image)
                r = rng.randrange(7, 16)
                x, y = rng.randrange(8 + r - 6, 40 - r + 6), rng.randrange(r + 2, 40 - r - 2)
                if name == "circle":
                    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
                elif name == "square":
                    draw.rectangle((x - r, y - r, x + r, y + r), fill=colour)
                else:
                    draw.polygon([(x, y - r), (x - r, y + r), (x + r, y + r)], fill=colour)
                image.save(os.path.join(folder, f"{i:03d}.png"), optimize=False, compress_level=9)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "experiments", "data", "shapes"))
