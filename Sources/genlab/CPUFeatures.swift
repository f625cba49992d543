import Foundation

/// The CPU features the numeric targets are compiled for (see Package.swift), checked at start so
/// that an old CPU gets a message instead of an illegal-instruction crash.
enum CPUFeatures {
    /// The required features this machine lacks, or nil when it has them (or is not x86-64 Linux).
    static func missingOnThisMachine() -> String? {
        #if arch(x86_64) && os(Linux)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let missing = ["avx2", "fma"].filter { !flags.contains($0) }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
        #else
        return nil
        #endif
    }
}
