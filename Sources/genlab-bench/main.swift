// genlab-bench: measures the training step of the reference MLP VAE (784-512-256 → 32 → 256-512-784,
// Bernoulli, Adam, batch 128: experiments/vae-mlp-fmnist.json) on synthetic binary images, and
// counts heap allocations per step. Build in release: `swift run -c release genlab-bench`. OpenBLAS
// runs the kernels GenLab's workers pin (`Haswell`) unless OPENBLAS_CORETYPE is set or
// `--native-kernel` is given (`--kernel FAMILY` pins another family); the first line printed names
// the kernel. `--threads N` splits the step among N threads (`training.threads`); other modes:
// `--experiment FILE` (any experiment's step at several thread counts, ModelStepBenchmark.swift),
// `--gemm-only`, `--dcgan-layers`, `--team-overhead`.
import CMallocCounter
import Foundation
import Models
import NN
import Spec

func benchmarkVAEStep() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String, _ fallback: Int) -> Int {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
        return v
    }
    let batch = option("--batch", 128)
    let steps = option("--steps", 300)
    let threads = option("--threads", 1)
    BLAS.setThreads(1)   // the model's thread team splits the work; OpenBLAS runs inside each member

    let relu = Activation.relu
    let spec = VAESpec(
        latent: 32, beta: 1, betaWarmupSteps: 0, likelihood: .bernoulli,
        encoder: [.dense(units: 512, activation: relu, batchNorm: false, initializer: .he),
                  .dense(units: 256, activation: relu, batchNorm: false, initializer: .he)],
        decoder: [.dense(units: 256, activation: relu, batchNorm: false, initializer: .he),
                  .dense(units: 512, activation: relu, batchNorm: false, initializer: .he)])
    let training = TrainingSpec(epochs: 1, batch: batch, optimizer: .adam(lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                threads: threads)
    let vae = try VAE(spec: spec, training: training, dataShape: [1, 28, 28], trainingExamples: 100, seed: 0, file: "bench")

    // Synthetic pixel intensities in [0, 1], 16 distinct batches.
    var rng = RandomStream(seed: 1, purpose: "bench")
    let batches = 16
    let data = UnsafeMutableBufferPointer<Float>.allocate(capacity: batches * batch * 784)
    for i in data.indices { data[i] = rng.nextUniform() < 0.3 ? rng.nextUniform() : 0 }
    let totals = UnsafeMutablePointer<Double>.allocate(capacity: 3)
    totals.initialize(repeating: 0, count: 3)

    func step(_ i: Int) { vae.trainStep(data.baseAddress! + (i % batches) * batch * 784, batch: batch, totals: totals) }

    for i in 0..<20 { step(i) }   // warm-up: first-touch of buffers, BLAS initialisation
    let allocationsBefore = genlab_allocation_count()
    let start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<steps { step(i) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let allocations = genlab_allocation_count() - allocationsBefore
    let flopsPerImage = 2.0 * 3 * Double(784 * 512 + 512 * 256 + 256 * 64 + 32 * 256 + 256 * 512 + 512 * 784) - 2.0 * 784 * 512
    print("vae-mlp step: batch \(batch), \(steps) steps, \(threads) thread(s), OpenBLAS core \(BLAS.coreName)")
    print(String(format: "  %.0f images/s, %.3f ms/step, %.1f GFLOP/s in the matrix products' count",
                 Double(steps * batch) / seconds, seconds / Double(steps) * 1000, flopsPerImage * Double(steps * batch) / seconds / 1e9))
    print("  allocations per step: \(Double(allocations) / Double(steps))")
    print("  final train loss per image: \(String(format: "%.2f", totals[0] / Double((steps + 20) * batch)))")
}

/// The matrix products one VAE step needs (forward, weight gradients, input gradients except the
/// first layer's), timed alone: the ceiling for the step on this machine.
func benchmarkGEMMs() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let batch = 128, steps = 300
    BLAS.setThreads(1)
    let layers = [(784, 512), (512, 256), (256, 64), (32, 256), (256, 512), (512, 784)]
    // Separate buffers per layer, as in a real step (weights and gradients do not stay in cache).
    func buffer(_ n: Int, _ value: Float) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
        p.initialize(repeating: value, count: n)
        return p
    }
    let w = layers.map { buffer($0.0 * $0.1, 0.01) }, dw = layers.map { buffer($0.0 * $0.1, 0) }
    let x = layers.map { buffer(batch * $0.0, 0.5) }, y = layers.map { buffer(batch * $0.1, 0.1) }
    func step() {
        for (i, (input, output)) in layers.enumerated() {
            BLAS.gemm(transB: true, m: batch, n: output, k: input, a: x[i], b: w[i], beta: 0, c: y[i])          // forward
        }
        for (i, (input, output)) in layers.enumerated().reversed() {
            BLAS.gemm(transA: true, m: output, n: input, k: batch, a: y[i], b: x[i], beta: 1, c: dw[i])        // dW
            if i != 0 { BLAS.gemm(m: batch, n: input, k: output, a: y[i], b: w[i], beta: 0, c: x[i]) }          // dx
        }
    }
    for _ in 0..<20 { step() }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps { step() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let flops = 2.0 * 3 * Double(784 * 512 + 512 * 256 + 256 * 64 + 32 * 256 + 256 * 512 + 512 * 784) - 2.0 * 784 * 512
    print("matrix products of one vae-mlp step alone: batch \(batch), OpenBLAS core \(BLAS.coreName)")
    print(String(format: "  %.0f images/s ceiling, %.3f ms/step, %.1f GFLOP/s", Double(steps * batch) / seconds,
                 seconds / Double(steps) * 1000, flops * Double(batch * steps) / seconds / 1e9))
    _ = arguments
}

/// Forward + backward (parameter and input gradients) of each DCGAN convolution and batch-norm
/// layer alone at batch 128, median and minimum of `--steps` repetitions: `--dcgan-layers`, with
/// `--threads N` members splitting each pass (`ThreadTeam`) or `--blas-threads N` OpenBLAS threads
/// inside one thread's products, to choose per layer between the two.
func benchmarkDCGANLayers() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String, _ fallback: Int) -> Int {
        arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
    }
    let steps = option("--steps", 30), team = ThreadTeam(size: option("--threads", 1))
    BLAS.setThreads(option("--blas-threads", 1))
    print("DCGAN layers: \(team.size) team member(s), \(BLAS.threads) OpenBLAS thread(s)")
    let batch = 128
    let leaky = ActivationFunction.leakyReLU(slope: 0.2)
    let layers: [(String, Layer)] = [
        ("G deconv 128→64 7→14", ConvTranspose2D(inputShape: [128, 7, 7], filters: 64, kernel: 4, stride: 2, padding: 1, activation: .relu)),
        ("G deconv 64→1 14→28", ConvTranspose2D(inputShape: [64, 14, 14], filters: 1, kernel: 4, stride: 2, padding: 1, activation: .tanh)),
        ("D conv 1→64 28→14", Conv2D(inputShape: [1, 28, 28], filters: 64, kernel: 4, stride: 2, padding: 1, activation: leaky)),
        ("D conv 64→128 14→7", Conv2D(inputShape: [64, 14, 14], filters: 128, kernel: 4, stride: 2, padding: 1, activation: leaky)),
        ("BN [6272]", BatchNorm(shape: [6272])),
        ("BN [64, 14, 14]", BatchNorm(shape: [64, 14, 14])),
        ("BN [128, 7, 7]", BatchNorm(shape: [128, 7, 7])),
    ]
    var total = 0.0
    for (name, layer) in layers {
        let net = Network(name: name, layers: [layer], maxBatch: batch, team: team)
        net.initialize(rng: RandomStream(seed: 0, purpose: "init"))
        var rng = RandomStream(seed: 1, purpose: "x")
        let x = UnsafeMutablePointer<Float>.allocate(capacity: batch * net.inputSize)
        for i in 0..<(batch * net.inputSize) { x[i] = rng.nextNormal() }
        let dy = UnsafeMutablePointer<Float>.allocate(capacity: batch * net.outputSize)
        var times: [Double] = []
        for i in 0..<(steps + 3) {
            for j in 0..<(batch * net.outputSize) { dy[j] = Float((j * 7919) % 13) * 0.01 - 0.06 }
            let start = DispatchTime.now().uptimeNanoseconds
            net.forward(x, batch: batch, mode: .training)
            net.backward(dy, batch: batch, parameterGradients: true, inputGradient: true)
            if i >= 3 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        times.sort()
        total += times[times.count / 2]
        print(String(format: "  %-22@ median %7.3f ms  min %7.3f ms", name as NSString, times[times.count / 2], times[0]))
    }
    print(String(format: "  sum of medians %.3f ms", total))
}

/// Training runs with OpenBLAS pinned to `BLAS.pinnedCoreType` (GenLab's workers set
/// `OPENBLAS_CORETYPE`, read when the library loads), so the benchmark measures the same kernels:
/// unless the variable is set already or `--native-kernel` asks for the library's own choice, run
/// this command line again in a process that has it — `--kernel FAMILY` (`SkylakeX`, say: what a
/// `"native"` run uses on a CPU with AVX-512) instead of `Haswell` — and return its status.
func rerunWithPinnedKernel() -> Int32? {
    let environment = ProcessInfo.processInfo.environment, arguments = CommandLine.arguments
    guard environment["OPENBLAS_CORETYPE"] == nil, !arguments.contains("--native-kernel") else { return nil }
    let family = arguments.firstIndex(of: "--kernel").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    let child = Process()
    child.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: arguments[0])
    child.arguments = Array(arguments.dropFirst())
    // One OpenBLAS thread, as workers have: an idle OpenBLAS pool would spin beside the team.
    child.environment = environment.merging(["OPENBLAS_CORETYPE": family ?? BLAS.pinnedCoreType, "OPENBLAS_NUM_THREADS": "1"]) { $1 }
    do {
        try child.run()
    } catch {
        FileHandle.standardError.write(Foundation.Data("genlab-bench: cannot start itself with OPENBLAS_CORETYPE set: \(error)\n".utf8))
        return 1
    }
    child.waitUntilExit()
    return child.terminationStatus
}

if let status = rerunWithPinnedKernel() { exit(status) }
let kernelSource = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "the CPU's own choice"
print("OpenBLAS kernel: \(BLAS.coreName) (\(kernelSource))")
/// The cost of one fork and join of a team (`--team-overhead`): an empty job, run 200,000 times
/// back to back, at each team size of `--threads` (default 2).
func benchmarkTeamOverhead() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let size = arguments.firstIndex(of: "--threads").flatMap { Int(arguments[$0 + 1]) } ?? 2
    let team = ThreadTeam(size: size), job = TeamJob<Int> { _, _ in }, runs = 200_000
    for i in 0..<1_000 { team.run(job, i) }
    let start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<runs { team.run(job, i) }
    let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(runs)
    print(String(format: "team of %d: %.2f µs per fork and join of an empty job", size, nanoseconds / 1000))
}

if CommandLine.arguments.contains("--team-overhead") {
    benchmarkTeamOverhead()
} else if CommandLine.arguments.contains("--experiment") {
    try benchmarkModelStep(arguments: CommandLine.arguments)
} else if CommandLine.arguments.contains("--dcgan-layers") {
    benchmarkDCGANLayers()
} else if CommandLine.arguments.contains("--gemm-only") {
    benchmarkGEMMs()
} else {
    try benchmarkVAEStep()
}
