// Dimensions: N batch, W example width, K classes, P positions per one-hot entry.

/// One-hot class labels appended to each example: the conditional input of generators, VAE
/// encoders and decoders, and concatenation discriminators.
///
/// Example i of width W becomes `[x_i (W) | onehot(y_i) (K·P)]`, where each of the K one-hot
/// entries is repeated over P positions: P = 1 appends a K-vector (flat inputs), P = H·W appends K
/// constant maps after an image's channels (so a conv layer sees C + K channels). The gradient
/// with respect to x is the first W entries of each row.
public enum LabelConcatenation {
    /// Writes (count, W + K·P) rows into `out`.
    public static func append(_ x: UnsafePointer<Float>, width: Int, labels: UnsafePointer<Int32>, classes: Int,
                              positions: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        let extra = classes * positions, row = width + extra
        for i in 0..<count {
            let o = out + i * row
            o.update(from: x + i * width, count: width)
            (o + width).update(repeating: 0, count: extra)
            let y = Int(labels[i])
            precondition(y >= 0 && y < classes, "label \(y) outside 0..<\(classes)")
            (o + width + y * positions).update(repeating: 1, count: positions)
        }
    }

    /// The x part (count, W) of rows (count, W + K·P) of a gradient.
    public static func inputGradient(_ d: UnsafePointer<Float>, width: Int, classes: Int, positions: Int, count: Int,
                                     into dx: UnsafeMutablePointer<Float>) {
        let row = width + classes * positions
        for i in 0..<count { (dx + i * width).update(from: d + i * row, count: width) }
    }
}
