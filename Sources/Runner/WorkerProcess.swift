import Foundation
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
    private var epochsDone = 0
    private var epochs = 0
    static let tailLines = 20

    /// Starts `executable worker FILE --run ID --results DIR [--evaluate-only]`; `onExit` runs
    /// once it has exited and its output is drained.
    init(executable: String, experimentFile: String, resultsRoot: String, run: RunSpec, position: Int,
         memoryLimit: MemoryLimit = .standard, evaluateOnly: Bool = false,
         onExit: @escaping @Sendable (WorkerProcess) -> Void) throws {
        self.run = run
        self.position = position
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker", experimentFile, "--run", run.id, "--results", resultsRoot]
            + (evaluateOnly ? ["--evaluate-only"] : [])
        var environment = WorkerEnvironment.make(base: ProcessInfo.processInfo.environment, threads: run.training.threads,
                                                  memoryLimit: memoryLimit)
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

    /// Fraction of the run's epochs finished, 0 before the first.
    var fraction: Double {
        lock.lock(); defer { lock.unlock() }
        return epochs > 0 ? Double(epochsDone) / Double(epochs) : 0
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
        if let (done, total) = Self.epochProgress(line) { epochsDone = done; epochs = total }
    }

    /// `(e, E)` from a plain progress line `[run …] epoch e/E …`.
    static func epochProgress(_ line: String) -> (Int, Int)? {
        guard let marker = line.range(of: "] epoch ") else { return nil }
        let rest = line[marker.upperBound...].prefix { $0 != " " }
        let parts = rest.split(separator: "/")
        guard parts.count == 2, let e = Int(parts[0]), let total = Int(parts[1]), total > 0 else { return nil }
        return (e, total)
    }
}

/// `SIGKILL`, `SIGSEGV`, … for a signal number.
func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                  SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                  SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM"]
    return names[signal] ?? "signal \(signal)"
}
