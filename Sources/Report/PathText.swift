/// The last component and the parent of a path, worked out from its text. Foundation's
/// `NSString.lastPathComponent` and `deletingLastPathComponent` trap on some one-letter relative
/// paths (`"r"`, as in `--results r`), so GenLab never calls them on a path a user gave.
public enum PathText {
    /// `"a/b"` → `"b"`, `"a/b/"` → `"b"`, `"r"` → `"r"`, `"/"` → `"/"`.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `"a/b"` → `"a"`, `"/a"` → `"/"`, `"r"` → `""`, `"/"` → `"/"`.
    public static func parent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
