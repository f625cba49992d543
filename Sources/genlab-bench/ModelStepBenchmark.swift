// `genlab-bench --experiment FILE [--variant NAME] [--threads 1,2] [--rounds 5] [--steps 20] [--shape 1,28,28]`:
// the training step of an experiment file's model (its first run, or the first run of a variant)
// on synthetic data of the given example shape, with each thread count in turn within every round
// (rounds alternate thread counts, so the machine's drift hits all alike). Prints each round's
// images/s, the median per thread count and the median of the per-round ratios to the first count.
import CMallocCounter
import Foundation
import Models
import NN
import RunStore
import Spec

func benchmarkModelStep(arguments: [String]) throws {
    func value(_ name: String) -> String? {
        arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }
    guard let file = value("--experiment") else { return }
    let threadCounts = (value("--threads") ?? "1,2").split(separator: ",").compactMap { Int($0) }
    let rounds = value("--rounds").flatMap(Int.init) ?? 5
    let steps = value("--steps").flatMap(Int.init) ?? 20
    let shape = (value("--shape") ?? "1,28,28").split(separator: ",").compactMap { Int($0) }
    BLAS.setThreads(1)   // the team splits the work; OpenBLAS runs on the member that calls it
    let experiment = try ExperimentLoader.load(path: file)
    let variant = value("--variant")
    guard var run = experiment.runs.first(where: { variant == nil || $0.swept.contains { $0.value.contains(variant!) } }) else {
        print("no run of \(file) matches --variant \(variant ?? "")"); exit(2)
    }
    let batch = run.training.batch
    let size = shape.reduce(1, *)
    var models: [any GenerativeModel] = []
    for threads in threadCounts {
        run.training.threads = threads
        models.append(try ModelFactory.make(run, dataShape: shape, trainingExamples: 60_000, file: file))
    }
    var rng = RandomStream(seed: 1, purpose: "bench")
    let batches = 8
    let data = UnsafeMutableBufferPointer<Float>.allocate(capacity: batches * batch * size)
    for i in data.indices { data[i] = rng.nextUniform() }
    let totals = UnsafeMutablePointer<Double>.allocate(capacity: 16)
    totals.initialize(repeating: 0, count: 16)
    let perStep = models[0].examplesPerStep
    print("\(file)\(variant.map { " (\($0))" } ?? ""): \(modelName(run.model)) step, batch \(batch), \(steps) steps per measurement, "
          + "\(rounds) rounds alternating threads \(threadCounts.map(String.init).joined(separator: ", "))")
    var allocations = 0
    func measure(_ model: any GenerativeModel, warmup: Bool) -> Double {
        if warmup { for i in 0..<3 { model.trainStep(data.baseAddress! + (i % batches) * batch * size, batch: batch, totals: totals) } }
        let allocationsBefore = genlab_allocation_count()
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<steps { model.trainStep(data.baseAddress! + (i % batches) * batch * size, batch: batch, totals: totals) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        allocations += Int(genlab_allocation_count() - allocationsBefore)
        return Double(steps * perStep) / seconds
    }
    var rates = Array(repeating: [Double](), count: threadCounts.count)
    for (i, model) in models.enumerated() { _ = measure(model, warmup: true); _ = i }
    allocations = 0
    for round in 1...rounds {
        var line = "  round \(round):"
        for (i, model) in models.enumerated() {
            let rate = measure(model, warmup: false)
            rates[i].append(rate)
            line += String(format: "  %d thread(s) %.0f images/s", threadCounts[i], rate)
        }
        print(line)
    }
    func median(_ values: [Double]) -> Double { let s = values.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
    for (i, threads) in threadCounts.enumerated() {
        let ratios = zip(rates[i], rates[0]).map { $0 / $1 }
        print(String(format: "  %2d thread(s): median %.0f images/s, %.2f× %d thread(s) (median of per-round ratios, range %.2f–%.2f)",
                     threads, median(rates[i]), median(ratios), threadCounts[0], ratios.min()!, ratios.max()!))
    }
    print("  allocations per step: \(Double(allocations) / Double(rounds * steps * models.count))")
}

private func modelName(_ model: ModelSpec) -> String {
    switch model {
    case .vae: return "VAE"
    case .gan: return "GAN"
    case .vaeGAN: return "VAE-GAN"
    }
}
