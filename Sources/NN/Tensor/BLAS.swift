import CBLAS

/// Row-major matrix products through OpenBLAS's `cblas_sgemm`.
///
/// All layers do their matrix work here, so the transpose conventions live in one place.
public enum BLAS {
    /// `C (M×N) = alpha · op(A) · op(B) + beta · C`, row-major, with op(A) of shape M×K and op(B) K×N.
    /// `transA`/`transB` say whether A is stored as K×M / B as N×K.
    @inline(__always)
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        beta: Float = 0, c: UnsafeMutablePointer<Float>
    ) {
        let lda = transA ? m : k
        let ldb = transB ? k : n
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }

    /// `gemm` on sub-matrices: `lda`, `ldb` and `ldc` are the row strides of the matrices A, B and C
    /// are parts of (a member of a `ThreadTeam` computing a block of C).
    @inline(__always)
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's thread count for this process (GenLab runs one thread per run by default;
    /// parallelism comes from running several runs at once).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// OpenBLAS's thread count for this process now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The name of the CPU kernel OpenBLAS picked (e.g. "Cooperlake"), recorded with each run.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// The kernel family every training process pins (`OPENBLAS_CORETYPE`, read when the library
    /// loads) unless the user sets their own: the same bytes on every x86-64 machine with AVX2.
    public static let pinnedCoreType = "Haswell"

    /// OpenBLAS's build configuration string.
    public static var config: String { String(cString: openblas_get_config()) }
}
