/// The environment a training process gets: `threads` BLAS threads and one OpenBLAS kernel family
/// on every x86-64 machine with AVX2, so that numbers do not change with the CPU generation (a
/// user's own `OPENBLAS_CORETYPE` wins). Workers get it, and `genlab report` too, so figures it
/// redraws from checkpoints match the runs' bytes.
public enum WorkerEnvironment {
    /// The OpenBLAS kernel family used unless `OPENBLAS_CORETYPE` is set.
    public static let blasCoreType = "Haswell"

    public static func make(base: [String: String], threads: Int = 1) -> [String: String] {
        var environment = base
        environment["OPENBLAS_NUM_THREADS"] = String(threads)
        if environment["OPENBLAS_CORETYPE"] == nil { environment["OPENBLAS_CORETYPE"] = blasCoreType }
        return environment
    }
}
