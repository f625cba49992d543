import Foundation

/// Runs the `genlab` executable built next to the test bundle and captures its output.
struct GenlabResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Genlab {
    /// The `genlab` binary in the build folder that holds this test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("genlab")
    }

    /// `environment` entries are added to this process's environment (nil values remove one).
    /// `program`: another executable of the package built beside `genlab` (`genlab-bench`).
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:],
                    program: String = "genlab") throws -> GenlabResult {
        let process = Process()
        process.executableURL = executable.deletingLastPathComponent().appendingPathComponent(program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (key, value) in environment { merged[key] = value }
            process.environment = merged
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return GenlabResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genlab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
