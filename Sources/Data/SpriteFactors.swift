/// The shape of a sprite, in dSprites' order.
public enum SpriteShape: Int, Sendable, CaseIterable, Hashable {
    case square = 0, ellipse = 1, heart = 2
}

/// The five generative factors of one sprite, after dSprites (Matthey, Higgins, Hassabis &
/// Lerchner 2017, github.com/deepmind/dsprites-dataset): shape (3) × scale (6) × orientation (40)
/// × posX (32) × posY (32) = 737,280 combinations, each addressed by a factor index (mixed radix,
/// shape most significant, posY least, as dSprites' `latents_classes`).
///
/// Levels are integers (what disentanglement metrics classify); values are the real quantities.
public struct SpriteFactors: Sendable, Hashable {
    /// Number of levels of each factor, in index order: shape, scale, orientation, posX, posY.
    public static let levelCounts = [3, 6, 40, 32, 32]
    /// Number of factor combinations: 3·6·40·32·32.
    public static let combinationCount = 737_280
    /// Factor names in index order, for tables and metric outputs.
    public static let names = ["shape", "scale", "orientation", "posX", "posY"]

    public var shape: SpriteShape
    /// 0..<6; scale = 0.5 + level/10.
    public var scaleLevel: Int
    /// 0..<40; orientation = 2π·level/40 radians.
    public var orientationLevel: Int
    /// 0..<32; posX = level/31 (0 = left, 1 = right).
    public var posXLevel: Int
    /// 0..<32; posY = level/31 (0 = top, 1 = bottom).
    public var posYLevel: Int

    public init(shape: SpriteShape, scaleLevel: Int, orientationLevel: Int, posXLevel: Int, posYLevel: Int) {
        precondition((0..<6).contains(scaleLevel), "scale level \(scaleLevel) outside 0..<6")
        precondition((0..<40).contains(orientationLevel), "orientation level \(orientationLevel) outside 0..<40")
        precondition((0..<32).contains(posXLevel), "posX level \(posXLevel) outside 0..<32")
        precondition((0..<32).contains(posYLevel), "posY level \(posYLevel) outside 0..<32")
        self.shape = shape
        self.scaleLevel = scaleLevel
        self.orientationLevel = orientationLevel
        self.posXLevel = posXLevel
        self.posYLevel = posYLevel
    }

    /// Decodes a factor index in `0..<737280`.
    public init(factorIndex: Int) {
        precondition(factorIndex >= 0 && factorIndex < SpriteFactors.combinationCount,
                     "factor index \(factorIndex) outside 0..<\(SpriteFactors.combinationCount)")
        var rest = factorIndex
        let posY = rest % 32; rest /= 32
        let posX = rest % 32; rest /= 32
        let orientation = rest % 40; rest /= 40
        let scale = rest % 6; rest /= 6
        self.init(shape: SpriteShape(rawValue: rest)!, scaleLevel: scale, orientationLevel: orientation,
                  posXLevel: posX, posYLevel: posY)
    }

    /// The factor index: `(((shape·6 + scale)·40 + orientation)·32 + posX)·32 + posY`.
    public var factorIndex: Int {
        (((shape.rawValue * 6 + scaleLevel) * 40 + orientationLevel) * 32 + posXLevel) * 32 + posYLevel
    }

    /// The integer levels in index order: [shape, scale, orientation, posX, posY].
    public var levels: [Int] { [shape.rawValue, scaleLevel, orientationLevel, posXLevel, posYLevel] }

    /// Scale of the sprite, 0.5...1.0 in steps of 0.1 (relative to the largest sprite).
    public var scale: Float { 0.5 + Float(scaleLevel) / 10 }
    /// Rotation in radians, in [0, 2π).
    public var orientation: Float { Float(2 * Double.pi * Double(orientationLevel) / 40) }
    /// Horizontal position of the centre in [0, 1] (0 = leftmost, 1 = rightmost place).
    public var posX: Float { Float(posXLevel) / 31 }
    /// Vertical position of the centre in [0, 1] (0 = topmost, 1 = lowest place).
    public var posY: Float { Float(posYLevel) / 31 }

    /// The real values in index order: [shape (as 0, 1, 2), scale, orientation, posX, posY].
    public var values: [Float] { [Float(shape.rawValue), scale, orientation, posX, posY] }
}
