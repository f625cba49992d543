#if !_endian(little)
#error("NPYFile copies host bytes as little-endian data: port the byte copies first")
#endif

/// The NumPy `.npy` format, version 1.0, for little-endian 32-bit floats (`<f4`) in C order:
/// what `numpy.load` reads without pickles.
///
/// Layout: the magic `\x93NUMPY`, version bytes 1 and 0, the header length as a little-endian
/// UInt16, then the header — a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (N, C, H, W), }` padded with spaces and
/// ended by a newline so the data start at a multiple of 64 bytes (NumPy's own alignment) — then
/// the values. The dict is written as `numpy.lib.format` writes it (sorted keys, Python `repr`s),
/// without the spare spaces newer NumPy versions add for growing the first axis in place.
public enum NPYFile {
    /// The data's alignment: header and preamble end at a multiple of this.
    public static let alignment = 64
    /// `\x93NUMPY`.
    public static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Everything before the data of a `<f4` C-order array of `shape` (`[]` is a scalar): magic,
    /// version, header length and padded header, a multiple of `alignment` bytes long.
    public static func header(shape: [Int]) -> [UInt8] {
        precondition(shape.allSatisfy { $0 >= 0 }, "NPYFile: negative dimension in shape \(shape)")
        let dimensions = shape.map(String.init)
        let tuple = dimensions.count == 1 ? "(\(dimensions[0]),)" : "(" + dimensions.joined(separator: ", ") + ")"
        var dict = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }".utf8)
        let preamble = magic.count + 2 + 2
        // Spaces, then the newline, up to the next multiple of the alignment.
        let unpadded = preamble + dict.count + 1
        dict += [UInt8](repeating: 0x20, count: (alignment - unpadded % alignment) % alignment)
        dict.append(0x0A)
        precondition(dict.count <= Int(UInt16.max), "NPYFile: a header of \(dict.count) bytes needs format version 2")
        return magic + [1, 0, UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)] + dict
    }

    /// A whole `.npy` file of `values` with `shape` (the element count must match).
    public static func encode(_ values: [Float], shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "NPYFile: \(values.count) values do not fill shape \(shape)")
        var bytes = header(shape: shape)
        values.withUnsafeBytes { bytes += $0 }
        return bytes
    }
}
