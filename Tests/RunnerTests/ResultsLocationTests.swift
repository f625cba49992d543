@testable import Evaluation
@testable import RunStore
import Runner
import Spec
import Testing

/// An experiment's folder is always one folder directly inside the results root.
@Test(arguments: ["..", ".", ".classifiers", "a/b", "../x", "", "x\0y", String(repeating: "n", count: 256)])
func namesThatWouldLeaveTheResultsFolderAreRefused(_ name: String) {
    #expect(throws: SpecError.self) { try ResultsLocation.experimentFolder(root: "/tmp/results", name: name, file: "x.json") }
    #expect(throws: SpecError.self) { try ResultsLocation.experimentFolder(root: "results", name: name, file: "x.json") }
}

@Test func aPlainNameIsAFolderInsideTheRoot() throws {
    #expect(try ResultsLocation.experimentFolder(root: "/tmp/results", name: "beta-vae_2.x", file: "x.json") == "/tmp/results/beta-vae_2.x")
    #expect(try ResultsLocation.experimentFolder(root: "results", name: "quickstart", file: "x.json") == "results/quickstart")
    #expect(try ResultsLocation.experimentFolder(root: ".", name: "quickstart", file: "x.json") == "./quickstart")
    let error = try #require(throws: SpecError.self) { try ResultsLocation.experimentFolder(root: "/p/res", name: "..", file: "x.json") }
    #expect(error.description == #"x.json: name: expected a folder name inside the results folder /p/res, found "..", which would write to /p"#)
}
