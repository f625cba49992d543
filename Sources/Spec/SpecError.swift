/// A problem with an experiment file: which file, where in it (a JSON path such as
/// `model.encoder[2].activation`), what was expected and what was found.
///
/// Every bad input GenLab can detect before training is reported as one of these; the command
/// line prints `description` and exits with status 2.
public struct SpecError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// JSON path of the offending value; empty for the document itself.
    public var path: String
    public var expected: String
    public var found: String
    /// An optional hint, e.g. "did you mean 'latent'?".
    public var hint: String?

    public init(file: String, path: String, expected: String, found: String, hint: String? = nil) {
        self.file = file
        self.path = path
        self.expected = expected
        self.found = found
        self.hint = hint
    }

    public var description: String {
        let location = path.isEmpty ? file : "\(file): \(path)"
        var text = "\(location): expected \(expected), found \(found)"
        if let hint { text += " (\(hint))" }
        return text
    }
}
