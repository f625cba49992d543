import Foundation

/// A new empty folder under the system's temporary directory.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("genlab-runner-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Every file under `root` (relative path → bytes), except wall-clock `timing.json`.
func snapshot(_ root: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)!
    while let relative = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
        if isDirectory.boolValue || relative.hasSuffix("timing.json") { continue }
        files[relative] = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
    }
    return files
}
