#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file-system call that failed, as one sentence a user can act on: what GenLab was doing, on
/// which path, and the system's reason with its errno name — "cannot create folder
/// results/x/runs: Read-only file system (EROFS)". Every I/O failure reaches the user this way
/// (`describe` turns Foundation's errors into the same form), never as a raw `NSCocoaErrorDomain`.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, as a verb phrase: "create folder", "read", "move".
    public var operation: String
    public var path: String
    /// `errno` at the failure (0 when the system gave none).
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "cannot \(operation) \(path): \(Self.reason(code))"
    }

    /// "No space left on device (ENOSPC)".
    public static func reason(_ code: Int32) -> String {
        guard code != 0 else { return "unknown system error" }
        let text = String(cString: strerror(code))
        return errnoNames[code].map { "\(text) (\($0))" } ?? "\(text) (errno \(code))"
    }

    /// Names of the errors a results folder can meet.
    static let errnoNames: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EACCES: "EACCES", EEXIST: "EEXIST", ENOTDIR: "ENOTDIR",
        EISDIR: "EISDIR", EINVAL: "EINVAL", EMFILE: "EMFILE", ENFILE: "ENFILE", EFBIG: "EFBIG", ENOSPC: "ENOSPC",
        EROFS: "EROFS", ENAMETOOLONG: "ENAMETOOLONG", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP", EDQUOT: "EDQUOT",
        EXDEV: "EXDEV", EBUSY: "EBUSY", ETXTBSY: "ETXTBSY", ENOMEM: "ENOMEM",
    ]

    /// One sentence for any error met while reading or writing files: GenLab's own errors as they
    /// describe themselves, Foundation's file errors as "cannot <operation> <path>: <reason> (ENAME)",
    /// anything else by its description.
    public static func describe(_ error: any Error, operation: String = "access") -> String {
        if let known = error as? FileSystemError { return known.description }
        if let known = error as? AtomicFileError { return known.description }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String)
            ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
            ?? (ns.userInfo["NSDestinationFilePath"] as? String) ?? "a file"
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return FileSystemError(operation: operation, path: path, code: Int32(underlying.code)).description
        }
        if ns.domain == NSPOSIXErrorDomain {
            return FileSystemError(operation: operation, path: path, code: Int32(ns.code)).description
        }
        return "cannot \(operation) \(path): \(cocoaReason(ns.code))"
    }

    /// Foundation's file error codes, for errors that carry no POSIX code.
    private static func cocoaReason(_ code: Int) -> String {
        switch code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return reason(ENOENT)
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return reason(EACCES)
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return reason(EROFS)
        case CocoaError.fileWriteOutOfSpace.rawValue: return reason(ENOSPC)
        case CocoaError.fileWriteInvalidFileName.rawValue, CocoaError.fileReadInvalidFileName.rawValue: return reason(ENAMETOOLONG)
        case CocoaError.fileWriteFileExists.rawValue: return reason(EEXIST)
        default: return "the file system refused (Foundation error \(code))"
        }
    }
}
