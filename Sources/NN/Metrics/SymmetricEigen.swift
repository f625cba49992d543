import CBLAS

/// Eigen-decomposition of a real symmetric matrix in double precision (LAPACK `dsyev`, from
/// OpenBLAS): the matrix square root for FID needs it, and double keeps the square root of a
/// nearly singular covariance accurate.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors as columns of an n × n column-major matrix: `vectors[j * n + i]` is
    /// component i of the eigenvector of `values[j]`.
    public let vectors: [Double]
    public let n: Int

    /// Decomposes the symmetric n × n `matrix` (row- or column-major: it is symmetric).
    public init(_ matrix: [Double], n: Int) {
        precondition(matrix.count == n * n, "SymmetricEigen: \(matrix.count) values for \(n)×\(n)")
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var size = Int32(n)
        var info: Int32 = 0
        var query = 0.0
        var lwork: Int32 = -1
        let jobz: [CChar] = [CChar(UInt8(ascii: "V")), 0]
        let uplo: [CChar] = [CChar(UInt8(ascii: "U")), 0]
        if n > 0 {
            dsyev_(jobz, uplo, &size, &a, &size, &w, &query, &lwork, &info, 1, 1)
            lwork = Int32(query)
            var work = [Double](repeating: 0, count: max(1, Int(lwork)))
            dsyev_(jobz, uplo, &size, &a, &size, &w, &work, &lwork, &info, 1, 1)
            precondition(info == 0, "SymmetricEigen: dsyev failed with info \(info)")
        }
        values = w
        vectors = a
        self.n = n
    }

    /// Applies `f` to the eigenvalues: V · diag(f(λ)) · Vᵀ, row-major (= column-major).
    public func map(_ f: (Double) -> Double) -> [Double] {
        var scaled = vectors
        for j in 0..<n {
            let factor = f(values[j])
            for i in 0..<n { scaled[j * n + i] *= factor }
        }
        var result = [Double](repeating: 0, count: n * n)
        guard n > 0 else { return result }
        // result = scaled · vectorsᵀ in column-major terms.
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n), 1,
                    scaled, Int32(n), vectors, Int32(n), 0, &result, Int32(n))
        return result
    }
}
