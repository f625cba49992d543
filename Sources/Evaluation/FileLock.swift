#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Report

/// An exclusive `flock` on a lock file, held until `release` (or the process's death: the kernel
/// drops it). For work that several workers may start at once and only one should do, such as
/// training the shared evaluation classifier; the others block until it is done.
final class FileLock {
    private var descriptor: Int32

    /// Opens (creating) `path` and waits for the lock.
    init(_ path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: path, code: errno) }
        while flock(descriptor, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR else {
                close(descriptor)
                throw FileSystemError(operation: "flock", path: path, code: code)
            }
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)  // releases the lock
        descriptor = -1
    }

    deinit { release() }
}
