import CTurboJPEG

/// Decodes JPEG files into 8-bit pixels with libjpeg-turbo (the TurboJPEG API), as Pillow does:
/// the accurate integer IDCT and fancy upsampling (both libjpeg-turbo's decoding defaults), grey
/// files to one channel and every other colour space to RGB. A file with a warning — most often
/// a truncated one, which libjpeg would pad with grey — is refused, as Pillow refuses it.
public enum JPEGCodec {
    /// JPEG's start-of-image marker and the first byte of the next.
    public static let magic: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// `bytes` decoded; `JPEGError` says why not.
    public static func decode(_ bytes: [UInt8]) throws(JPEGError) -> PixelImage {
        guard let handle = tjInitDecompress() else { throw JPEGError(message: "libjpeg-turbo could not start a decoder") }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let size = UInt(bytes.count)
        guard tjDecompressHeader3(handle, bytes, size, &width, &height, &subsampling, &colorspace) == 0 else {
            throw JPEGError(message: String(cString: tjGetErrorStr2(handle)))
        }
        guard width > 0, height > 0, Int(width) * Int(height) <= 1 << 28 else {
            throw JPEGError(message: "an image of \(width)×\(height) pixels")
        }
        let grey = colorspace == Int32(TJCS_GRAY.rawValue)
        let channels = grey ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        let flags = Int32(TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING)
        let format = grey ? Int32(TJPF_GRAY.rawValue) : Int32(TJPF_RGB.rawValue)
        let status = pixels.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, bytes, size, out.baseAddress, width, Int32(Int(width) * channels), height, format, flags)
        }
        guard status == 0 else { throw JPEGError(message: String(cString: tjGetErrorStr2(handle))) }
        return PixelImage(width: Int(width), height: Int(height), channels: channels, pixels: pixels)
    }
}

/// Why a JPEG file could not be decoded, in libjpeg-turbo's words.
public struct JPEGError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "JPEG decode failed: \(message)" }
}
