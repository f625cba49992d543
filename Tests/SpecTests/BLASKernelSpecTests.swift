import Testing
import Spec

/// `training.blas_kernel`: "portable" (the default, in no run's id, so older ids stay) or
/// "native" (spelled out in the resolved spec and the id), decoded strictly.
@Suite struct BLASKernelSpecTests {
    @Test func portableIsTheDefaultAndChangesNoId() throws {
        let plain = try experiment(minimal).runs[0]
        #expect(plain.training.blasKernel == .portable)
        let portable = try experiment(setting(minimal, ["training", "blas_kernel"], "portable")).runs[0]
        #expect(portable.id == plain.id && portable.canonicalJSON == plain.canonicalJSON)
        #expect(!plain.canonicalJSON.contains("blas_kernel"))
    }

    @Test func nativeIsInTheResolvedSpecAndTheId() throws {
        let plain = try experiment(minimal).runs[0]
        let native = try experiment(setting(minimal, ["training", "blas_kernel"], "native")).runs[0]
        #expect(native.training.blasKernel == .native)
        #expect(native.id != plain.id)
        #expect(native.canonicalJSON.contains(#""blas_kernel":"native""#))
        let back = try ExperimentLoader.parseRun(text: native.resolvedJSON.pretty, file: "spec.json", experiment: "t")
        #expect(back.training.blasKernel == .native && back.id == native.id)
    }

    @Test func otherValuesNameThePath() {
        #expect(specError(setting(minimal, ["training", "blas_kernel"], "SkylakeX")) == SpecError(
            file: "x.json", path: "training.blas_kernel", expected: #"one of "portable", "native""#, found: #"string "SkylakeX""#))
        #expect(specError(setting(minimal, ["training", "blas_kernel"], true))?.path == "training.blas_kernel")
    }
}
