import Formats
import Report
import Spec

/// The file `genlab sample` writes, chosen by the output's extension.
public enum SampleFormat: String, Sendable, Equatable, CaseIterable {
    /// An image grid in the figures' style, or for 2-D points a scatter plot like `samples.png`.
    case png
    /// One F32 tensor `samples` with metadata (`SafeTensors`).
    case safetensors
    /// A NumPy `.npy` file, version 1.0, `<f4`, C order (`NPYFile`).
    case npy

    /// The format of `path`'s extension (letter case ignored).
    /// - Throws: `SpecError` at `--out` for another extension or none.
    public init(path: String) throws(SpecError) {
        let name = PathText.lastComponent(path)
        let dot = name.lastIndex(of: ".")
        let ext = dot.map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
        guard let format = SampleFormat(rawValue: ext) else {
            throw SpecError(file: "command line", path: "--out",
                            expected: "a file ending in .png, .safetensors or .npy",
                            found: dot == nil ? "\(JSONWriter.quoted(path)), which has no extension"
                                : "\(JSONWriter.quoted(path)), ending in .\(ext)")
        }
        self = format
    }
}
