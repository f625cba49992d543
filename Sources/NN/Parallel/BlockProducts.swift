/// A weight gradient over a batch whose examples are laid out in member blocks, as the
/// convolutions keep them: block b holds examples `team.part(b, of: examples)`, its A part an
/// (m, k_b) matrix at `a + m·(first example)·width` and its B part an (n, k_b) matrix at
/// `b + n·(first example)·width`, k_b = (examples in the block)·width.
extension ThreadTeam {
    /// Member `member`'s share of C (m×n, row-major) += Σ over the blocks, in member order, of
    /// A_b·B_bᵀ: rows of C when m ≥ n, else columns, so each member packs the smaller part and no
    /// two members write one float. A team of one does the one product over the whole batch.
    func addBlockProducts(member: Int, examples: Int, width: Int, m: Int, n: Int,
                          a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        let byRows = m >= n
        let split = part(member, of: byRows ? m : n, granule: byRows ? 4 : 16)
        guard !split.isEmpty else { return }
        for block in 0..<size {
            let examplesOfBlock = part(block, of: examples)
            guard !examplesOfBlock.isEmpty else { continue }
            let k = examplesOfBlock.count * width
            let ab = a + m * examplesOfBlock.lowerBound * width, bb = b + n * examplesOfBlock.lowerBound * width
            if byRows {
                BLAS.gemm(transB: true, m: split.count, n: n, k: k, a: ab + split.lowerBound * k, lda: k, b: bb, ldb: k,
                          beta: 1, c: c + split.lowerBound * n, ldc: n)
            } else {
                BLAS.gemm(transB: true, m: m, n: split.count, k: k, a: ab, lda: k, b: bb + split.lowerBound * k, ldb: k,
                          beta: 1, c: c + split.lowerBound, ldc: n)
            }
        }
    }
}
