#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed atomic write: which path, which step, and the system's reason.
public struct AtomicFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target path the caller asked to write.
    public var path: String
    /// The step that failed (`create temporary file`, `write`, `fsync`, `rename`, …).
    public var operation: String
    /// `errno` at the failure.
    public var code: Int32

    public var description: String {
        "cannot write \(path): \(operation) failed: \(FileSystemError.reason(code))"
    }
}

/// Whole-file atomic writes: readers of `path` see either the old content or the new, never a
/// mix, and a crash leaves at most a hidden temporary file (`.<name>.tmp.<pid>.XXXXXX`) behind.
///
/// Steps: `mkstemp` in the target's folder (same file system, so `rename` is atomic), write all
/// bytes, `fsync`, `rename` over the target, then `fsync` the folder so the rename is durable.
/// On any failure the temporary file is removed and an ``AtomicFileError`` naming `path` is
/// thrown. Files are created with mode 0644. There is deliberately no append: files that grow
/// (`metrics.jsonl`) are rewritten whole.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            try write(buffer, to: path)
        }
    }

    /// Writes `string` as UTF-8 to `path` atomically.
    public static func write(_ string: String, to path: String) throws {
        try write(Array(string.utf8), to: path)
    }

    /// Writes the bytes of `buffer` to `path` atomically.
    public static func write(_ buffer: UnsafeRawBufferPointer, to path: String) throws {
        let (folder, name) = split(path)
        guard !name.isEmpty else { throw AtomicFileError(path: path, operation: "name the file", code: EISDIR) }
        var template = Array("\(folder)/.\(name).tmp.\(getpid()).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw AtomicFileError(path: path, operation: "create temporary file", code: errno) }
        let temporary = String(cString: template.map { UInt8(bitPattern: $0) })

        func fail(_ operation: String, _ code: Int32, closing: Bool) -> AtomicFileError {
            if closing { close(fd) }
            unlink(temporary)
            return AtomicFileError(path: path, operation: operation, code: code)
        }

        guard fchmod(fd, 0o644) == 0 else { throw fail("fchmod", errno, closing: true) }
        var written = 0
        while written < buffer.count {
            let n = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write", errno, closing: true)
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw fail("fsync", errno, closing: true) }
        guard close(fd) == 0 else { throw fail("close", errno, closing: false) }
        guard rename(temporary, path) == 0 else { throw fail("rename", errno, closing: false) }

        // Make the rename itself durable; a failure here does not undo the completed write.
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
        return Musl.write(fd, bytes, count)
        #else
        return Darwin.write(fd, bytes, count)
        #endif
    }

    /// Splits `path` into its folder (`.` when none) and last component.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
