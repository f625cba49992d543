/// Colours for class labels in figures (`latent.png`): the eight colours of the Okabe–Ito
/// colour-blind-safe palette (Okabe & Ito 2008) plus two to reach Fashion-MNIST's ten classes —
/// Paul Tol's wine (136, 34, 85) and a mid gray (153, 153, 153), both apart from the eight in
/// hue or lightness. Ordered so that data with few classes avoid the hard ones: black (close to
/// the frame and text) and yellow (faint on white) come late.
public enum LabelPalette {
    public static let colors: [GridColor] = [
        GridColor(red: 0, green: 114, blue: 178),    // blue
        GridColor(red: 230, green: 159, blue: 0),    // orange
        GridColor(red: 0, green: 158, blue: 115),    // bluish green
        GridColor(red: 213, green: 94, blue: 0),     // vermillion
        GridColor(red: 204, green: 121, blue: 167),  // reddish purple
        GridColor(red: 86, green: 180, blue: 233),   // sky blue
        GridColor(red: 136, green: 34, blue: 85),    // wine (Tol)
        GridColor(red: 0, green: 0, blue: 0),        // black
        GridColor(red: 240, green: 228, blue: 66),   // yellow
        GridColor(red: 153, green: 153, blue: 153),  // gray
    ]

    /// The colour of class `label` (cycling after the tenth).
    public static func color(of label: Int) -> GridColor {
        colors[((label % colors.count) + colors.count) % colors.count]
    }
}
