import Foundation
import Spec
import Report

/// Where an experiment's results go, checked: `<results>/<name>` must be one folder directly
/// inside the results root, so nothing GenLab writes for the experiment lands outside it (the
/// shared classifier cache is `<results>/.classifiers`, which no experiment name can be). The spec
/// decoder already refuses unsafe names; this is the check at the point of writing.
public enum ResultsLocation {
    /// `<root>/<name>`, or a `SpecError` at `name` when it would leave `<root>` or take over a
    /// hidden folder in it (`..`, `.`, `.classifiers`, a separator, a leading dot, NUL).
    public static func experimentFolder(root: String, name: String, file: String) throws(SpecError) -> String {
        let unsafe = name.isEmpty || name.hasPrefix(".") || name.contains("/") || name.contains("\0")
            || name.utf8.count > 255
        let folder = root + "/" + name
        let standardized = (folder as NSString).standardizingPath, base = (root as NSString).standardizingPath
        guard !unsafe, PathText.parent(standardized) == base
                || (base == "." && !standardized.contains("/")) else {
            throw SpecError(file: file, path: "name", expected: "a folder name inside the results folder \(root)",
                            found: "\(JSONWriter.quoted(name)), which would write to \(standardized)")
        }
        return folder
    }
}
