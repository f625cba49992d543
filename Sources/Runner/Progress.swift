import Foundation

/// Where training progress goes: a live, rewritten line on a terminal; a plain line per epoch
/// otherwise (logs, Slurm output files).
public final class ProgressPrinter: @unchecked Sendable {
    public enum Style: Sendable { case live, plain, quiet }
    public let style: Style
    private var lastDraw: UInt64 = 0
    private var runLabel = ""

    public init(style: Style) { self.style = style }

    /// Live output when standard error is a terminal, plain lines otherwise.
    public static func forStandardError() -> ProgressPrinter {
        ProgressPrinter(style: isatty(2) != 0 ? .live : .plain)
    }

    func runStarted(index: Int, total: Int, run: String, description: String) {
        runLabel = "run \(index)/\(total) \(run)"
        if style != .quiet { emit("[\(runLabel)] \(description)\n") }
    }

    /// Called every step; draws at most four times a second. Allocates only when it draws.
    func step(epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double, imagesPerSecond: Double, etaSeconds: Double) {
        guard style == .live else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 250_000_000 || step == steps else { return }
        lastDraw = now
        let numbers = String(format: "loss %.3f  %.0f img/s", loss, imagesPerSecond)
        let line = "\r\u{1B}[2K[\(runLabel)] epoch \(epoch)/\(epochs) step \(step)/\(steps) \(numbers)  ETA \(ProgressPrinter.clock(etaSeconds))"
        emit(line)
    }

    /// Called at each logged line inside an epoch (`training.log_every_steps`): in plain style a
    /// line with the epoch, the step of the run and the ETA, which the sweep coordinator reads
    /// for its progress (live style already shows them on the rewritten line).
    func logged(epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double, imagesPerSecond: Double, etaSeconds: Double) {
        guard style == .plain else { return }
        let numbers = String(format: "loss %.3f  %.0f img/s", loss, imagesPerSecond)
        emit("[\(runLabel)] epoch \(epoch)/\(epochs) step \(step)/\(steps) \(numbers)  ETA \(ProgressPrinter.clock(etaSeconds))\n")
    }

    func epochFinished(epoch: Int, epochs: Int, summary: String, imagesPerSecond: Double, etaSeconds: Double) {
        switch style {
        case .quiet: return
        case .live: emit("\r\u{1B}[2K")
        case .plain: break
        }
        let rate = String(format: "%.0f img/s", imagesPerSecond)
        emit("[\(runLabel)] epoch \(epoch)/\(epochs) \(summary)  \(rate)  ETA \(ProgressPrinter.clock(etaSeconds))\n")
    }

    func message(_ text: String) {
        if style != .quiet { emit(text + "\n") }
    }

    private func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
