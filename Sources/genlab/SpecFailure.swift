import ArgumentParser
import Foundation
import Spec

/// Prints a spec error the way users see every bad input — file, JSON path, expected, found —
/// and maps it to exit status 2 (swift-argument-parser would otherwise exit 1 or 64).
func failOnBadInput<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SpecError {
        FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
