import CPNG

/// A libpng failure: what was being done and libpng's own message (`png_image.message`).
public struct PNGError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var message: String
    public var description: String { "PNG \(operation) failed: \(message)" }
}

/// PNG encoding and decoding of ``PixelImage`` through libpng's simplified API (`png_image_*`),
/// whose errors are return codes plus a message, so no `setjmp` is needed.
///
/// Determinism: the simplified writer emits no time or text chunks and uses libpng's default
/// zlib settings, so equal pixels give equal bytes for a fixed libpng (1.6.39 here) and zlib.
public enum PNGCodec {
    /// Encodes `image` as an 8-bit gray, RGB or RGBA PNG (after its `channels`).
    public static func encode(_ image: PixelImage) throws -> [UInt8] {
        var control = png_image()
        control.version = UInt32(PNG_IMAGE_VERSION)
        control.width = UInt32(image.width)
        control.height = UInt32(image.height)
        control.format = format(channels: image.channels)
        defer { png_image_free(&control) }
        let stride = Int32(image.width * image.channels)

        return try image.pixels.withUnsafeBytes { pixels in
            // (1) Size query: with no memory, libpng compresses and reports the byte count.
            var size = 0
            guard png_image_write_to_memory(&control, nil, &size, 0, pixels.baseAddress, stride, nil) != 0
            else { throw PNGError(operation: "encode (size query)", message: message(of: control)) }
            // (2) Write into a buffer of that size; `size` becomes the bytes actually written.
            var bytes = [UInt8](repeating: 0, count: size)
            let ok = bytes.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&control, out.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
            guard ok != 0 else { throw PNGError(operation: "encode", message: message(of: control)) }
            bytes.removeLast(bytes.count - size)
            return bytes
        }
    }

    /// Decodes PNG bytes into 8-bit pixels: gray stays gray (1 channel), colour becomes RGB
    /// (3), and any alpha — including gray + alpha and palette transparency — becomes RGBA (4).
    /// 16-bit files are reduced to 8 bits by libpng's own conversion (with its gamma handling);
    /// GenLab itself writes only 8-bit files.
    public static func decode(_ bytes: [UInt8]) throws -> PixelImage {
        var control = png_image()
        control.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&control) }

        return try bytes.withUnsafeBytes { memory in
            guard png_image_begin_read_from_memory(&control, memory.baseAddress, memory.count) != 0
            else { throw PNGError(operation: "decode (header)", message: message(of: control)) }
            let native = control.format
            let channels = native & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 ? 4
                : native & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 ? 3 : 1
            control.format = format(channels: channels)
            let width = Int(control.width), height = Int(control.height)
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&control, nil, out.baseAddress, Int32(width * channels), nil)
            }
            guard ok != 0 else { throw PNGError(operation: "decode", message: message(of: control)) }
            return PixelImage(width: width, height: height, channels: channels, pixels: pixels)
        }
    }

    /// The simplified-API format of 8-bit sRGB pixels with `channels` channels.
    private static func format(channels: Int) -> UInt32 {
        switch channels {
        case 1: UInt32(PNG_FORMAT_GRAY)
        case 3: UInt32(PNG_FORMAT_RGB)
        case 4: UInt32(PNG_FORMAT_RGB) | UInt32(PNG_FORMAT_FLAG_ALPHA)  // PNG_FORMAT_RGBA (a macro expression Swift cannot import)
        default: preconditionFailure("PNGCodec: channels must be 1, 3 or 4, got \(channels)")
        }
    }

    /// The NUL-terminated `message` field of a `png_image`.
    private static func message(of control: png_image) -> String {
        withUnsafeBytes(of: control.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
