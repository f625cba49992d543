/// Encoding with the examples' class labels, for any encoder: a conditional VAE's q(z | x, y)
/// needs them; other encoders ignore them (`labels` nil, or a model that is not conditional).
/// Callers pass the data's labels and need not know which kind of model they hold.
extension EncodingModel {
    /// `encodeMean` with `labels` (count) for a conditional VAE.
    public func encodeMean(_ x: UnsafePointer<Float>, classLabels labels: [Int32]?, count: Int, into out: UnsafeMutablePointer<Float>) {
        if let labels, let vae = self as? VAE, vae.classCount > 0 {
            labels.withUnsafeBufferPointer { vae.encodeMean(x, labels: $0.baseAddress!, count: count, into: out) }
        } else {
            encodeMean(x, count: count, into: out)
        }
    }

    /// `encodePosterior` with `labels` (count) for a conditional VAE.
    public func encodePosterior(_ x: UnsafePointer<Float>, classLabels labels: [Int32]?, count: Int,
                                into out: UnsafeMutablePointer<Float>) {
        if let labels, let vae = self as? VAE, vae.classCount > 0 {
            labels.withUnsafeBufferPointer { vae.encodePosterior(x, labels: $0.baseAddress!, count: count, into: out) }
        } else {
            encodePosterior(x, count: count, into: out)
        }
    }
}
