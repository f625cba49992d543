import Foundation
import Report
import Testing

@Suite struct AtomicFileTests {
    @Test func writesNewFileThenReplacesItLeavingNoTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("metrics.jsonl")

        try AtomicFile.write("{\"epoch\":1}\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"epoch\":1}\n")
        try AtomicFile.write([0, 1, 2, 255], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data([0, 1, 2, 255]))
        try AtomicFile.write([], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data())
        #expect(try folder.contents() == ["metrics.jsonl"])

        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func missingFolderThrowsErrorNamingThePath() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("no-such-folder/final.json")
        do {
            try AtomicFile.write("{}", to: path)
            Issue.record("expected an error writing into a missing folder")
        } catch let error as AtomicFileError {
            #expect(error.path == path)
            #expect(error.code == ENOENT)
            #expect(error.description.contains(path))
        }
        #expect(try folder.contents() == [])
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A non-empty folder in the target's place: the rename fails after the write succeeded.
        let path = folder.file("target")
        try FileManager.default.createDirectory(atPath: path + "/inner", withIntermediateDirectories: true)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("new", to: path) }
        #expect(try folder.contents() == ["target"])
    }

    /// Readers racing the writer see exactly the old or the new content, never a mix or a
    /// truncated file.
    @Test func concurrentReadersSeeOldOrNewContent() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("checkpoint.bin")
        let old = [UInt8](repeating: 0xAA, count: 1 << 18)
        let new = [UInt8](repeating: 0x55, count: (1 << 18) + 7)
        try AtomicFile.write(old, to: path)

        let writer = Task.detached {
            for i in 0..<40 { try AtomicFile.write(i % 2 == 0 ? new : old, to: path) }
        }
        var reads = 0
        var torn = 0
        while reads < 2000 {
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            if bytes != old && bytes != new { torn += 1 }
            reads += 1
        }
        try await writer.value
        #expect(torn == 0)
        #expect(try folder.contents() == ["checkpoint.bin"])
    }
}
