/// The Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design"), which stay distinguishable
/// under the common colour-vision deficiencies. Plots take series colours from ``okabeIto`` in
/// order, so the first series is always blue, the second vermillion, and so on.
public struct Palette: Sendable, Equatable {
    public static let blue = GridColor(red: 0, green: 114, blue: 178)
    public static let vermillion = GridColor(red: 213, green: 94, blue: 0)
    public static let bluishGreen = GridColor(red: 0, green: 158, blue: 115)
    public static let reddishPurple = GridColor(red: 204, green: 121, blue: 167)
    public static let orange = GridColor(red: 230, green: 159, blue: 0)
    public static let skyBlue = GridColor(red: 86, green: 180, blue: 233)
    public static let black = GridColor(red: 0, green: 0, blue: 0)
    public static let yellow = GridColor(red: 240, green: 228, blue: 66)

    /// The eight Okabe–Ito colours, ordered for lines on white: the strongest contrasts first,
    /// yellow (weak on white) last.
    public static let okabeIto = Palette(colors: [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, black, yellow])

    /// The colours in the order series use them (at least one).
    public var colors: [GridColor]

    public init(colors: [GridColor]) {
        precondition(!colors.isEmpty, "Palette: needs at least one colour")
        self.colors = colors
    }

    /// The colour of series `index`, cycling when there are more series than colours.
    public subscript(index: Int) -> GridColor { colors[index % colors.count] }
}
