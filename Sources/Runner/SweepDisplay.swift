import Foundation
import Spec

/// The coordinator's view of a sweep on standard error: on a terminal, one status line
/// (done / running / failed / pending, ETA) rewritten in place under the event lines; otherwise
/// a plain line per event with the same counts, for logs and Slurm output files.
public final class SweepDisplay: @unchecked Sendable {
    public let style: ProgressPrinter.Style
    private var total = 0, done = 0, failed = 0, running = 0, pending = 0
    private var finishedSeconds: [Double] = []
    private var jobs = 1
    private var eta = Double.nan
    private var statusShown = false
    /// "run 2 37 %, run 3 12 %": how far each running run is, for the live line.
    private var runningShares = ""

    public init(style: ProgressPrinter.Style) { self.style = style }

    /// Live on a terminal, plain lines otherwise.
    public static func forStandardError() -> SweepDisplay { SweepDisplay(style: isatty(2) != 0 ? .live : .plain) }

    func start(total: Int, alreadyDone: Int, jobs: Int) {
        self.total = total
        self.jobs = jobs
        done = alreadyDone
        pending = total - alreadyDone
        if alreadyDone > 0 { event("\(alreadyDone) of \(total) runs already done") }
    }

    func started(position: Int, run: RunSpec, evaluating: Bool = false) {
        running += 1
        pending -= 1
        event("[run \(position) \(run.id)] \(evaluating ? "evaluating" : "started"): \(SweepDisplay.describe(run))")
    }

    func finished(position: Int, run: RunSpec, ending: SweepReport.Ending, seconds: Double?, reason: String?) {
        if seconds != nil { running -= 1 } else { pending -= 1 }
        switch ending {
        case .failed, .diverged: failed += 1
        case .interrupted: pending += 1
        default: done += 1
        }
        if let seconds, ending == .completed { finishedSeconds.append(seconds) }
        let time = seconds.map { " in " + ProgressPrinter.clock($0) } ?? ""
        let line = "[run \(position) \(run.id)] \(ending.rawValue)\(time)" + (reason.map { ": " + $0 } ?? "")
        if style == .quiet, ending == .failed { emit("error: " + line + "\n") } else { event(line) }
    }

    /// A line shown in every style, quiet included: something the user must know (a damaged run).
    func warning(_ text: String) {
        if style == .live { emit("\r\u{1B}[2K") }
        emit("warning: " + text + "\n")
        if style == .live, statusShown { drawStatus() }
    }

    /// Refreshes the counts and the ETA: remaining work over the mean run time, `jobs` at a time.
    func update(running workers: [(position: Int, fraction: Double, seconds: Double)], pending: Int) {
        running = workers.count
        runningShares = workers.sorted { $0.position < $1.position }
            .map { "run \($0.position) \(Int(($0.fraction * 100).rounded(.down))) %" }.joined(separator: ", ")
        self.pending = pending
        var perRun = finishedSeconds.isEmpty ? Double.nan : finishedSeconds.reduce(0, +) / Double(finishedSeconds.count)
        if perRun.isNaN {
            let estimates = workers.filter { $0.fraction > 0 }.map { $0.seconds / $0.fraction }
            if !estimates.isEmpty { perRun = estimates.reduce(0, +) / Double(estimates.count) }
        }
        let left = workers.map { max(0, 1 - $0.fraction) }.reduce(0, +) + Double(pending)
        eta = perRun * left / Double(max(1, min(jobs, workers.count + pending)))
        if style == .live { drawStatus() }
    }

    func event(_ text: String) {
        switch style {
        case .quiet: return
        case .live: emit("\r\u{1B}[2K" + text + "\n"); drawStatus()
        case .plain: emit(text + "  (" + counts + ")\n")
        }
    }

    func end() {
        if style == .live, statusShown { emit("\r\u{1B}[2K") }
    }

    private var counts: String {
        "\(done)/\(total) done, \(running) running, \(failed) failed, \(max(0, pending)) pending, ETA \(ProgressPrinter.clock(eta))"
    }

    private func drawStatus() {
        statusShown = true
        emit("\r\u{1B}[2K[sweep] " + counts + (runningShares.isEmpty ? "" : " — " + runningShares))
    }

    private func emit(_ text: String) { FileHandle.standardError.write(Foundation.Data(text.utf8)) }

    static func describe(_ run: RunSpec) -> String {
        let swept = run.swept.map { "\($0.path)=\($0.value)" }.joined(separator: " ")
        return "seed \(run.seed)" + (swept.isEmpty ? "" : " " + swept)
    }
}
