"""Reads a GenLab run's TensorBoard event file as TensorBoard does and checks it against the run's
metrics.jsonl: every record's framing and masked CRC-32C (checked here independently, in pure
Python), then TensorBoard's own EventAccumulator must give, for every number of every metrics
line (but `step` and `epoch_step`), one scalar event at the line's step with the value as a
32-bit float, and one image per epoch end for each expected image tag, decoding (Pillow) to the
width and height the event records. Prints a one-line summary; exits 1 on any difference.

usage: tensorboard-read.py RUN_FOLDER [IMAGE_TAG ...]"""
import io
import json
import os
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def fail(message):
    print(f"tensorboard-read: FAIL: {message}")
    sys.exit(1)


def check_framing(path):
    data = open(path, "rb").read()
    at, count = 0, 0
    while at < len(data):
        if at + 12 > len(data):
            fail(f"{len(data) - at} stray bytes at the end (offset {at})")
        length, = struct.unpack("<Q", data[at:at + 8])
        if struct.unpack("<I", data[at + 8:at + 12])[0] != masked(data[at:at + 8]):
            fail(f"record {count}: the length's CRC is wrong (offset {at})")
        end = at + 12 + length
        if end + 4 > len(data):
            fail(f"record {count}: cut short (offset {at})")
        if struct.unpack("<I", data[end:end + 4])[0] != masked(data[at + 12:end]):
            fail(f"record {count}: the data's CRC is wrong (offset {at})")
        at, count = end + 4, count + 1
    return count


def main():
    folder, image_tags = sys.argv[1], sys.argv[2:]
    path = os.path.join(folder, "events.out.tfevents.genlab")
    records = check_framing(path)

    expected, epoch_end_steps = {}, []
    for line in open(os.path.join(folder, "metrics.jsonl"), encoding="utf-8"):
        entry = json.loads(line)
        step = entry["step"]
        if "epoch_step" not in entry:
            epoch_end_steps.append(step)
        for key, value in entry.items():
            if key in ("step", "epoch_step") or not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            expected.setdefault(key, []).append((step, struct.unpack("<f", struct.pack("<f", value))[0]))

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    accumulator = EventAccumulator(path, size_guidance={"scalars": 0, "images": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    if sorted(tags["scalars"]) != sorted(expected):
        fail(f"scalar tags {sorted(tags['scalars'])}, expected {sorted(expected)}")
    scalars = 0
    for tag, points in expected.items():
        got = [(event.step, event.value) for event in accumulator.Scalars(tag)]
        if got != points:
            fail(f"{tag}: TensorBoard read {got}, metrics.jsonl has {points}")
        scalars += len(got)
    if sorted(tags["images"]) != sorted(image_tags):
        fail(f"image tags {sorted(tags['images'])}, expected {sorted(image_tags)}")
    from PIL import Image
    images = 0
    for tag in image_tags:
        events = accumulator.Images(tag)
        if [event.step for event in events] != epoch_end_steps:
            fail(f"{tag}: images at steps {[event.step for event in events]}, epoch ends at {epoch_end_steps}")
        for event in events:
            picture = Image.open(io.BytesIO(event.encoded_image_string))
            if picture.size != (event.width, event.height):
                fail(f"{tag} at step {event.step}: the PNG is {picture.size}, the event says {(event.width, event.height)}")
        images += len(events)
    if records != 1 + scalars + images:
        fail(f"{records} records, expected the file version, {scalars} scalars and {images} images")
    print(f"tensorboard-read: {records} records; {scalars} scalar events in {len(expected)} tags and {images} images "
          f"in {len(image_tags)} tags, equal to metrics.jsonl")


main()
