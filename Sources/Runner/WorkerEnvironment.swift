import NN

/// The environment a training process gets: one OpenBLAS thread (a run's `training.threads` are its
/// model's `ThreadTeam`, each member calling single-threaded OpenBLAS) and one OpenBLAS kernel family
/// on every x86-64 machine with AVX2, so that numbers do not change with the CPU generation (a
/// user's own `OPENBLAS_CORETYPE` wins). Workers get it, and `genlab report` too, so figures it
/// redraws from checkpoints match the runs' bytes. A memory limit, when given, goes in
/// `GENLAB_MEMORY_LIMIT` (GiB), which `genlab worker` reads.
public enum WorkerEnvironment {
    /// The OpenBLAS kernel family used unless `OPENBLAS_CORETYPE` is set.
    public static let blasCoreType = BLAS.pinnedCoreType

    public static func make(base: [String: String], memoryLimit: MemoryLimit? = nil) -> [String: String] {
        var environment = base
        if let memoryLimit { environment[MemoryLimit.environmentVariable] = ReadableBytes.number(memoryLimit.gibibytes, decimals: 6) }
        environment["OPENBLAS_NUM_THREADS"] = "1"
        if environment["OPENBLAS_CORETYPE"] == nil { environment["OPENBLAS_CORETYPE"] = blasCoreType }
        return environment
    }
}
