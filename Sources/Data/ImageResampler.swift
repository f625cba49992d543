/// Brings an 8-bit image to `size` × `size`: a centre crop to a square, then a resize with
/// Pillow's antialiased bilinear filter (`Image.resize(…, BILINEAR)`: a triangle filter whose
/// support widens with the reduction factor, so downscaling averages every source pixel; one
/// horizontal pass, rounded to 8 bits, then one vertical pass). The weights are computed in
/// Double as Pillow computes them and applied in Pillow's 22-bit fixed point, so the bytes are
/// Pillow's (a test compares them) and integer arithmetic makes them the same on every machine.
public enum ImageResampler {
    /// The centre square of a `width` × `height` image: its side and top-left corner (extra
    /// pixels split with the odd one on the right or bottom).
    public static func centreSquare(width: Int, height: Int) -> (side: Int, left: Int, top: Int) {
        let side = min(width, height)
        return (side, (width - side) / 2, (height - side) / 2)
    }

    /// `pixels` (`height` rows of `width` pixels of `channels` interleaved bytes) centre-cropped
    /// and resized to `size` × `size`, same interleaving.
    public static func squareResize(_ pixels: [UInt8], width: Int, height: Int, channels: Int, size: Int) -> [UInt8] {
        precondition(pixels.count == width * height * channels && size > 0, "squareResize: bad shape")
        let (side, left, top) = centreSquare(width: width, height: height)
        var square = [UInt8](repeating: 0, count: side * side * channels)
        for y in 0..<side {
            let from = ((top + y) * width + left) * channels
            square.replaceSubrange(y * side * channels ..< (y + 1) * side * channels,
                                   with: pixels[from ..< from + side * channels])
        }
        if side == size { return square }
        let horizontal = pass(square, lines: side, inLength: side, outLength: size, channels: channels, alongRows: true)
        return pass(horizontal, lines: size, inLength: side, outLength: size, channels: channels, alongRows: false)
    }

    /// Bits of the fixed-point weights (Pillow's `PRECISION_BITS`, 32 − 8 − 2).
    static let precisionBits = 22

    /// The weights of each output position along one axis, as Pillow's `precompute_coeffs` and
    /// `normalize_coeffs_8bpc`: the first source index and the fixed-point triangle weights.
    static func coefficients(inLength: Int, outLength: Int) -> [(first: Int, weights: [Int64])] {
        let scale = Double(inLength) / Double(outLength)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle filter's support is 1
        let inverse = 1 / filterScale
        let unit = Double(1 << precisionBits)
        return (0..<outLength).map { i in
            let centre = (Double(i) + 0.5) * scale
            let first = max(0, Int(centre - support + 0.5))
            let end = min(inLength, Int(centre + support + 0.5))
            var weights = (first..<end).map { j -> Double in
                let x = abs((Double(j) - centre + 0.5) * inverse)
                return x < 1 ? 1 - x : 0
            }
            let total = weights.reduce(0, +)
            if total != 0 { for k in weights.indices { weights[k] /= total } }
            return (first, weights.map { Int64($0 < 0 ? -0.5 + $0 * unit : 0.5 + $0 * unit) })
        }
    }

    /// One separable pass: along rows (x changes) or along columns (y changes). The image has
    /// `lines` rows (horizontal pass) or columns (vertical pass) that stay as they are.
    private static func pass(_ image: [UInt8], lines: Int, inLength: Int, outLength: Int, channels: Int,
                             alongRows: Bool) -> [UInt8] {
        let coefficients = coefficients(inLength: inLength, outLength: outLength)
        // Horizontal: input (lines, inLength), output (lines, outLength). Vertical: input
        // (inLength, lines), output (outLength, lines).
        let outWidth = alongRows ? outLength : lines, inWidth = alongRows ? inLength : lines
        let half = Int64(1) << (precisionBits - 1)
        var out = [UInt8](repeating: 0, count: lines * outLength * channels)
        for line in 0..<lines {
            for (i, coefficient) in coefficients.enumerated() {
                for c in 0..<channels {
                    var sum = half
                    for (k, weight) in coefficient.weights.enumerated() {
                        let j = coefficient.first + k
                        let (x, y) = alongRows ? (j, line) : (line, j)
                        sum += weight * Int64(image[(y * inWidth + x) * channels + c])
                    }
                    let (x, y) = alongRows ? (i, line) : (line, i)
                    out[(y * outWidth + x) * channels + c] = UInt8(min(255, max(0, sum >> Int64(precisionBits))))
                }
            }
        }
        return out
    }
}
