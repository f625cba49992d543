import Foundation
import Spec

/// Larsen et al.'s equilibrium rule (their official code; pythae's `VAEGAN` too): the
/// discriminator's mean binary cross-entropies on real and on generated inputs decide whether the
/// discriminator and the decoder update in a step, so that neither runs away from the other.
struct EquilibriumGate {
    let target: Double
    let margin: Double

    init(_ spec: EquilibriumSpec) {
        target = Double(spec.target)
        margin = Double(spec.margin)
    }

    /// Skip the discriminator's update while it wins (either cost below target − margin), the
    /// decoder's while the discriminator loses (either above target + margin); both update when
    /// both would be skipped.
    func decide(realCost: Double, fakeCost: Double) -> (discriminator: Bool, decoder: Bool) {
        var discriminator = true, decoder = true
        if realCost < target - margin || fakeCost < target - margin { discriminator = false }
        if realCost > target + margin || fakeCost > target + margin { decoder = false }
        if !discriminator && !decoder { return (true, true) }
        return (discriminator, decoder)
    }

    /// Mean −log σ(d) over `count` logits: the cross-entropy of calling them real.
    static func realCost(_ logits: UnsafePointer<Float>, count: Int) -> Double {
        meanSoftplus(logits, count: count, sign: -1)
    }

    /// Mean −log(1 − σ(d)) over `count` logits: the cross-entropy of calling them generated.
    static func fakeCost(_ logits: UnsafePointer<Float>, count: Int) -> Double {
        meanSoftplus(logits, count: count, sign: 1)
    }

    /// Mean log(1 + e^(sign·d)), computed without overflow.
    private static func meanSoftplus(_ logits: UnsafePointer<Float>, count: Int, sign: Double) -> Double {
        var sum = 0.0
        for i in 0..<count {
            let x = sign * Double(logits[i])
            sum += max(x, 0) + log1p(exp(-abs(x)))
        }
        return sum / Double(count)
    }
}
