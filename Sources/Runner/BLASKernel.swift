import Foundation
import NN
import RunStore
import Spec

/// The OpenBLAS kernel family of a run's matrix products (`training.blas_kernel`).
///
/// Portable runs use `Haswell`, which every x86-64 CPU with AVX2 and FMA runs, so their bytes are
/// the same on all of them. A native run uses the fastest family this CPU runs — `SkylakeX` where
/// it has AVX-512, else `Haswell` — chosen from the CPU's flags (OpenBLAS 0.3.21's own choice falls
/// back to SSE3 kernels on CPUs newer than itself). The family is recorded in the run's checkpoint
/// and `final.json`; resuming, evaluating and verifying use the recorded family, and refuse with a
/// message on a CPU that lacks its instructions (OpenBLAS told to use kernels the CPU cannot run
/// would stop on an illegal instruction).
public enum BLASKernel {
    /// The families GenLab uses, fastest first, with the `/proc/cpuinfo` flags each needs.
    static let families: [(name: String, flags: [String])] = [
        ("SkylakeX", ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx2", "fma"]),
        ("Haswell", ["avx2", "fma"]),
    ]

    /// Environment variable naming the family for native runs that record none (`genlab verify`
    /// sets it to the committed run's family).
    public static let overrideVariable = "GENLAB_BLAS_KERNEL"
    /// Environment variable that replaces `/proc/cpuinfo`'s flags (space-separated): for tests of
    /// a CPU without some instructions.
    public static let flagsVariable = "GENLAB_CPU_FLAGS"

    /// This CPU's feature flags.
    public static func cpuFlags(environment: [String: String] = ProcessInfo.processInfo.environment) -> Set<String> {
        if let flags = environment[flagsVariable] { return Set(flags.split(separator: " ").map(String.init)) }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: " ").map(String.init))
    }

    /// The fastest family a CPU with `flags` runs (`Haswell` when it runs none of them: GenLab
    /// itself needs AVX2 and FMA).
    public static func fastest(flags: Set<String>) -> String {
        families.first { $0.flags.allSatisfy(flags.contains) }?.name ?? BLAS.pinnedCoreType
    }

    /// The flags a CPU with `flags` lacks to run `family`; nil when GenLab does not know the family.
    public static func missing(_ family: String, flags: Set<String>) -> [String]? {
        families.first { $0.name == family }.map { $0.flags.filter { !flags.contains($0) } }
    }

    /// Why this CPU cannot run `family`, recorded by run `runID`; nil when it can.
    public static func refusal(_ family: String, runID: String, flags: Set<String>) -> String? {
        let head = "run \(runID) used OpenBLAS's \(family) kernels (training.blas_kernel \"native\") and must go on with them "
            + "for the same bytes"
        guard let lacking = missing(family, flags: flags) else {
            return head + ", but GenLab does not know that kernel family (it knows "
                + families.map(\.name).joined(separator: ", ") + ")"
        }
        guard !lacking.isEmpty else { return nil }
        return head + ", but this CPU cannot run them: it lacks " + lacking.joined(separator: ", ")
            + "; resume or verify it on a CPU that has them"
    }

    /// The `OPENBLAS_CORETYPE` a worker for `run` gets: none for a portable run (the worker
    /// environment pins `Haswell` unless the user set their own); for a native run the family its
    /// folder records, else `GENLAB_BLAS_KERNEL`, else this CPU's fastest — but never a family
    /// this CPU cannot run (the worker then refuses the run, `RunExecutor`).
    public static func coreType(for run: RunSpec, folder: RunFolder,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard run.training.blasKernel == .native else { return nil }
        let flags = cpuFlags(environment: environment)
        let family = folder.recordedKernel ?? environment[overrideVariable] ?? fastest(flags: flags)
        return missing(family, flags: flags) == [] ? family : BLAS.pinnedCoreType
    }
}
