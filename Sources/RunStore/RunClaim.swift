#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Report
import Spec

/// An exclusive claim on one run: `claim.json` in the run folder, locked with `flock` by the
/// process that trains the run and holding its host, pid and start time for people to read.
///
/// The lock, not the file's existence, is the claim: the kernel drops it when the holder dies,
/// however it dies (SIGKILL, a crash, a node reboot on NFS with lock leases), so a claim whose
/// process is gone is simply taken over by the next process that asks — no staleness guess.
/// The holder removes the file when it lets go. A process that opened the file just before the
/// holder removed it would lock an orphaned inode; `acquire` detects this by comparing the locked
/// descriptor with what the path names now, and tries again.
public final class RunClaim {
    /// Who holds (or last held) a claim, as written in `claim.json`.
    public struct Holder: Sendable, Equatable {
        public var host: String
        public var pid: Int32
        public var started: String
    }

    private var fd: Int32
    private let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { release() }

    public static func path(in folder: RunFolder) -> String { folder.path + "/claim.json" }

    /// Claims the run at `folder` (creating the folder), or returns nil when a live process holds it.
    public static func acquire(_ folder: RunFolder) throws -> RunClaim? {
        try folder.create()
        let path = path(in: folder)
        var busy = 0
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RunClaimError(path: path, operation: "open", code: errno) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(fd)
                guard code == EWOULDBLOCK else { throw RunClaimError(path: path, operation: "flock", code: code) }
                // `holder(of:)` takes a shared lock for an instant; only a lock that lasts is a claim.
                busy += 1
                if busy >= 5 { return nil }
                usleep(20_000)
                continue
            }
            // The file may have been removed (and perhaps re-created) between open and flock.
            var locked = stat(), named = stat()
            guard fstat(fd, &locked) == 0, stat(path, &named) == 0,
                  locked.st_ino == named.st_ino, locked.st_dev == named.st_dev else {
                close(fd)
                continue
            }
            let claim = RunClaim(fd: fd, path: path)
            try claim.record(Holder(host: hostName(), pid: getpid(), started: timestamp()))
            return claim
        }
    }

    /// The live holder of the run's claim, or nil when nobody holds it (no file, or a file left
    /// by a process that died).
    public static func holder(of folder: RunFolder) -> Holder? {
        let path = path(in: folder)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path),
              let value = try? JSONParser.parse(String(decoding: data, as: UTF8.self), file: path),
              case .object(let object) = value else {
            return Holder(host: "?", pid: 0, started: "?")   // being written: held all the same
        }
        func string(_ key: String) -> String { if case .string(let s)? = object[key] { return s }; return "?" }
        var pid: Int32 = 0
        if case .int(let p)? = object["pid"] { pid = Int32(truncatingIfNeeded: p) }
        return Holder(host: string("host"), pid: pid, started: string("started"))
    }

    /// Removes `claim.json` and drops the lock. Idempotent.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    private func record(_ holder: Holder) throws {
        let text = JSONWriter.pretty(.object([
            "host": .string(holder.host), "pid": .int(Int64(holder.pid)), "started": .string(holder.started),
        ])) + "\n"
        let bytes = Array(text.utf8)
        guard ftruncate(fd, 0) == 0 else { throw RunClaimError(path: path, operation: "ftruncate", code: errno) }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw RunClaimError(path: path, operation: "write", code: errno) }
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }
}

/// A system call on a claim file failed: which file, which call, and the system's reason.
public struct RunClaimError: Error, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public var description: String { "cannot claim the run at \(path): \(operation) failed: \(FileSystemError.reason(code))" }
}
