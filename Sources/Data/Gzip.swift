import CZlib

/// gzip (RFC 1952) decoding through zlib's `inflate`, for `.gz` IDX files.
///
/// The MNIST family is distributed gzipped; decoding in memory with `inflateInit2(16 + MAX_WBITS)`
/// (gzip header and CRC checked by zlib) lets us report a truncated or corrupt file by name
/// instead of reading garbage.
enum Gzip {
    /// True when `bytes` starts with the gzip magic bytes 1f 8b.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents of a gzip file (concatenated members are joined, as `gunzip` does).
    /// - Throws: `DataError.truncated` when the stream ends early, `.corruptGzip` otherwise.
    static func decompress(_ input: [UInt8], path: String) throws -> [UInt8] {
        precondition(input.count < Int(UInt32.max), "gzip input over 4 GiB is not supported")
        // The trailer's ISIZE (uncompressed size mod 2³², little-endian) is a good first capacity.
        var capacity = 1 << 16
        if input.count >= 18 {
            let n = input.count
            let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            capacity = max(capacity, min(isize + 1, 1 << 31))
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0

        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.corruptGzip(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }

        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { target in
                    let room = target.count - produced
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(min(room, Int(UInt32.max)))
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += min(room, Int(UInt32.max)) - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow; anything else after the member is ignored.
                    let rest = Int(stream.avail_in)
                    let offset = source.count - rest
                    if rest >= 2 && source[offset] == 0x1f && source[offset + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    return
                case Z_OK:
                    if stream.avail_in == 0 && stream.avail_out > 0 {
                        throw DataError.truncated(path: path, detail: "the gzip stream ends early (after \(produced) decompressed bytes)")
                    }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        throw DataError.truncated(path: path, detail: "the gzip stream ends early (after \(produced) decompressed bytes)")
                    }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw DataError.corruptGzip(path: path, reason: message)
                }
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
