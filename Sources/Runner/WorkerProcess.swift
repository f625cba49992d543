import Foundation
import RunStore
import Spec

/// One `genlab worker` child process training one run, as the coordinator sees it: its progress
/// (parsed from the plain progress lines it writes to standard error) and the last lines it wrote,
/// kept to explain a crash.
final class WorkerProcess: @unchecked Sendable {
    let run: RunSpec
    let position: Int
    let started = DispatchTime.now().uptimeNanoseconds
    private let process = Process()
    private let lock = NSLock()
    private var tail: [String] = []
    private var done = 0.0
    static let tailLines = 20

    /// Starts `executable worker FILE --run ID --results DIR [--evaluate-only]`; `onExit` runs
    /// once it has exited and its output is drained.
    init(executable: String, experimentFile: String, resultsRoot: String, run: RunSpec, folder: RunFolder, position: Int,
         memoryLimit: MemoryLimit = .standard, evaluateOnly: Bool = false,
         onExit: @escaping @Sendable (WorkerProcess) -> Void) throws {
        self.run = run
        self.position = position
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker", experimentFile, "--run", run.id, "--results", resultsRoot]
            + (evaluateOnly ? ["--evaluate-only"] : [])
        var environment = WorkerEnvironment.make(base: ProcessInfo.processInfo.environment, memoryLimit: memoryLimit)
        if let family = BLASKernel.coreType(for: run, folder: folder) {
            environment["OPENBLAS_CORETYPE"] = family
        }
        environment[SweepCoordinator.coordinatorVariable] = String(getpid())
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let drained = DispatchSemaphore(value: 0)
        process.terminationHandler = { [unowned self] _ in
            drained.wait()
            onExit(self)
        }
        try process.run()
        let reader = errors.fileHandleForReading
        Thread.detachNewThread { [self] in
            self.read(reader)
            drained.signal()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Asks the worker to checkpoint and stop (SIGTERM).
    func stop() { if process.isRunning { process.terminate() } }

    /// Fraction of the run's training done, from its last progress line (0 before the first).
    var fraction: Double {
        lock.lock(); defer { lock.unlock() }
        return done
    }

    var lastLines: [String] {
        lock.lock(); defer { lock.unlock() }
        return tail
    }

    /// What the exit means, once the process has exited.
    var exit: (WorkerExit?, reason: String) {
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            return (nil, "killed by signal \(status) (\(signalName(status)))")
        }
        if let known = WorkerExit(rawValue: status) { return (known, "exit status \(status)") }
        return (nil, "exited with status \(status)")
    }

    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    private func read(_ handle: FileHandle) {
        var pending = Foundation.Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                record(line)
            }
        }
        if !pending.isEmpty { record(String(decoding: pending, as: UTF8.self)) }
    }

    private func record(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        tail.append(line)
        if tail.count > Self.tailLines { tail.removeFirst(tail.count - Self.tailLines) }
        if let fraction = Self.progress(line) { done = fraction }
    }

    /// The fraction of training done from a plain progress line: `s/S` of `[run …] epoch e/E step
    /// s/S …` (a line inside an epoch), else `e/E` of `[run …] epoch e/E …` (an epoch's end).
    static func progress(_ line: String) -> Double? {
        guard let marker = line.range(of: "] epoch ") else { return nil }
        func ratio(_ text: Substring) -> Double? {
            let parts = text.prefix { $0 != " " }.split(separator: "/")
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), b > 0 else { return nil }
            return Double(a) / Double(b)
        }
        let rest = line[marker.upperBound...]
        if let step = rest.range(of: " step ") { return ratio(rest[step.upperBound...]) }
        return ratio(rest)
    }
}

/// `SIGKILL`, `SIGSEGV`, … for a signal number.
func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                  SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                  SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM"]
    return names[signal] ?? "signal \(signal)"
}
