import Foundation

/// Renders a dSprites-like binary sprite (Matthey et al. 2017) from its factors, on demand and
/// deterministically: plain Float32 arithmetic, one cos/sin per image, no randomness.
///
/// Geometry, in units of the image side (x right, y down, pixel (r, c) has centre
/// ((c + ½)/size, (r + ½)/size)): the sprite's centre is at
/// `margin + (1 − 2·margin)·(posX, posY)` with `margin` a little over `largestRadius`, so the largest
/// sprite at any rotation stays inside the image (as in dSprites, where positions span the image). Each shape is an implicit region in local coordinates (u, v),
/// measured in units of `largestRadius · scale` and rotated by the orientation, and fits in the
/// unit disc:
/// - square: max(|u|, |v|) ≤ 1/√2;
/// - ellipse: u² + (2v)² ≤ 1 (2:1 axes);
/// - heart: (x² + y² − 1)³ ≤ x²y³ with x = 1.25u, y = 0.25 − 1.25v (the classic implicit heart,
///   centred and scaled into the unit disc, point down).
/// A pixel is 255 when its centre lies inside the shape, else 0.
public enum SpritesRenderer {
    /// Circumscribed radius of a scale-1 sprite, as a fraction of the image side.
    public static let largestRadius: Float = 0.18
    /// Distance of the extreme sprite centres from the image border, as a fraction of the side:
    /// positions span [margin, 1 − margin]. A tenth over `largestRadius` leaves a gap of about a
    /// pixel at size 64 around the largest sprite.
    public static let margin: Float = 0.2
    /// Image sizes the renderer accepts (side in pixels; dSprites uses 64).
    public static let sizes = 8...256

    /// Renders the sprite with factor index `factorIndex` (see `SpriteFactors`) into `out`.
    /// - Parameter out: (H, W) = (size, size) bytes, overwritten entirely with 0 or 255.
    public static func render(factorIndex: Int, size: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        render(SpriteFactors(factorIndex: factorIndex), size: size, into: out)
    }

    /// Renders the sprite with `factors` into `out`: (H, W) = (size, size) bytes, 0 or 255.
    public static func render(_ factors: SpriteFactors, size: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        precondition(sizes.contains(size), "sprite size \(size) outside \(sizes)")
        precondition(out.count == size * size, "output holds \(out.count) bytes, a \(size)×\(size) sprite needs \(size * size)")
        out.update(repeating: 0)

        let side = Float(size)
        let radius = largestRadius * factors.scale
        let cx = margin + (1 - 2 * margin) * factors.posX
        let cy = margin + (1 - 2 * margin) * factors.posY
        let theta = 2 * Double.pi * Double(factors.orientationLevel) / 40
        let inv = 1 / radius
        // Rotating the pixel offset by −θ rotates the shape by +θ; scaled into local units.
        let cosT = Float(cos(theta)) * inv
        let sinT = Float(sin(theta)) * inv

        // Only pixels whose centre lies within `radius` of the centre (in x and y) can be inside.
        let pixel = 1 / side
        let firstCol = max(0, Int(((cx - radius) * side - 0.5).rounded(.down)))
        let lastCol = min(size - 1, Int(((cx + radius) * side - 0.5).rounded(.up)))
        let firstRow = max(0, Int(((cy - radius) * side - 0.5).rounded(.down)))
        let lastRow = min(size - 1, Int(((cy + radius) * side - 0.5).rounded(.up)))
        guard firstCol <= lastCol, firstRow <= lastRow else { return }

        @inline(__always)
        func fill(_ inside: (Float, Float) -> Bool) {
            for r in firstRow...lastRow {
                let dy = (Float(r) + 0.5) * pixel - cy
                let uRow = sinT * dy, vRow = cosT * dy
                let line = out.baseAddress! + r * size
                for c in firstCol...lastCol {
                    let dx = (Float(c) + 0.5) * pixel - cx
                    let u = cosT * dx + uRow
                    let v = vRow - sinT * dx
                    line[c] = inside(u, v) ? 255 : 0
                }
            }
        }

        switch factors.shape {
        case .square:
            let half: Float = 0.70710677
            fill { u, v in max(abs(u), abs(v)) <= half }
        case .ellipse:
            fill { u, v in u * u + 4 * v * v <= 1 }
        case .heart:
            fill { u, v in
                let x = 1.25 * u, y = 0.25 - 1.25 * v
                let x2 = x * x
                let t = x2 + y * y - 1
                return t * t * t <= x2 * y * y * y
            }
        }
    }
}
