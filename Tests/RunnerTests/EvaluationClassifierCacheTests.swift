@testable import Evaluation
import Formats
import Foundation
import Report
@testable import RunStore
import Runner
import Spec
import Testing

/// The evaluation classifier is trained once per data set, cached, and loaded back unchanged.
@Test func evaluationClassifierIsTrainedOnceCachedAndReloaded() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let data = DataSpec(dataset: .fashionMNIST, trainSize: 2_048, testSize: 512)
    let splits = try DataCatalog().splits(for: data, file: "test")
    let first = try EvaluationClassifierCache.classifier(for: data, splits: splits, folder: folder, minimumSteps: 0)
    // Ten classes: chance is 0.1; three epochs on 2,048 images (48 steps) reach about 0.7.
    #expect(first.testAccuracy > 0.5, "test accuracy \(first.testAccuracy)")
    let bytes = try #require(FileManager.default.contents(atPath: first.path))
    let file = try SafeTensors.decode(Array(bytes))
    #expect(file.metadata["test_accuracy"] == JSONWriter.numberText(first.testAccuracy))

    let again = try EvaluationClassifierCache.classifier(for: data, splits: splits, folder: folder, minimumSteps: 0)
    #expect(again.path == first.path && again.testAccuracy == first.testAccuracy)
    // Compared as one Bool: a failing #expect on two large arrays diffs them, which takes hours.
    let reloadedSame = Array(again.classifier.network.parameters) == Array(first.classifier.network.parameters)
    #expect(reloadedSame, "the reloaded classifier's parameters differ")
    // The classifier and the lock file workers wait on while one of them trains it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [PathText.lastComponent(first.path), PathText.lastComponent(first.path) + ".lock"])
    #expect(file.metadata["data_fingerprint"] == DataFingerprint.of(splits))

    // A damaged cache file is replaced by a retrained classifier with the same bytes.
    try Foundation.Data("not a classifier".utf8).write(to: URL(fileURLWithPath: first.path))
    let retrained = try EvaluationClassifierCache.classifier(for: data, splits: splits, folder: folder, minimumSteps: 0)
    let retrainedSame = Array(retrained.classifier.network.parameters) == Array(first.classifier.network.parameters)
    #expect(retrainedSame, "the retrained classifier's parameters differ")
    let fileSame = FileManager.default.contents(atPath: first.path).map(Array.init) == Array(bytes)
    #expect(fileSame, "the retrained classifier's file differs")
}

/// The machine-wide cache: `GENLAB_CACHE`, then the XDG cache, then `~/.cache`; none without a home.
@Test func theClassifierCacheIsMachineWide() {
    #expect(EvaluationClassifierCache.machineFolder(environment: ["GENLAB_CACHE": "/c", "HOME": "/h"]) == "/c/classifiers")
    #expect(EvaluationClassifierCache.machineFolder(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/genlab/classifiers")
    #expect(EvaluationClassifierCache.machineFolder(environment: ["HOME": "/h"]) == "/h/.cache/genlab/classifiers")
    #expect(EvaluationClassifierCache.machineFolder(environment: [:]) == nil)
    let limited = DataSpec(dataset: .fashionMNIST, trainSize: 6_000, testSize: 500)
    #expect(EvaluationClassifierCache.fullData(limited) == DataSpec(dataset: .fashionMNIST))
}
