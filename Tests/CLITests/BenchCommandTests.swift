import Foundation
import Testing

/// `genlab-bench` measures the kernels training runs with: OpenBLAS pinned to `Haswell` as the
/// workers pin it, unless the user's `OPENBLAS_CORETYPE` or `--native-kernel` says otherwise, and
/// it names the kernel that ran.
@Suite struct BenchCommandTests {
    private func bench(_ environment: [String: String?], _ extra: [String] = []) throws -> GenlabResult {
        try Genlab.run(["--gemm-only"] + extra, environment: environment, program: "genlab-bench")
    }

    @Test func theBenchmarkPinsTheWorkersKernelAndSaysWhichRan() throws {
        let pinned = try bench(["OPENBLAS_CORETYPE": nil])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.hasPrefix("OpenBLAS kernel: Haswell (OPENBLAS_CORETYPE=Haswell)\n"), "\(pinned.stdout)")
        #expect(pinned.stdout.contains("OpenBLAS core Haswell"))

        let chosen = try bench(["OPENBLAS_CORETYPE": "Sandybridge"])
        #expect(chosen.stdout.hasPrefix("OpenBLAS kernel: Sandybridge (OPENBLAS_CORETYPE=Sandybridge)\n"), "\(chosen.stdout)")

        let native = try bench(["OPENBLAS_CORETYPE": nil], ["--native-kernel"])
        #expect(native.status == 0)
        #expect(native.stdout.contains("(the CPU's own choice)"), "\(native.stdout)")
    }
}
