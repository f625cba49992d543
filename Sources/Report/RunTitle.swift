import Spec

/// The title of a run's own figures: `run <id> · seed <s> · <path> = <value>, …`, so that a figure
/// copied out of its folder still says which run, and which swept values, it shows.
public enum RunTitle {
    public static func text(id: String, seed: UInt64, swept: [SweptValue]) -> String {
        let values = swept.map { "\($0.path) = \(SummaryTables.plainValue($0.value))" }
        return (["run \(id)", "seed \(seed)"] + (values.isEmpty ? [] : [values.joined(separator: ", ")])).joined(separator: " · ")
    }

    /// `text` cut to at most `width` pixels of `font`, ending in "…" when cut.
    public static func fitted(_ text: String, width: Int, font: BitmapFont = .standard) -> String {
        guard font.width(of: text) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty, font.width(of: String(characters) + "…") > width { characters.removeLast() }
        return String(characters) + "…"
    }
}
