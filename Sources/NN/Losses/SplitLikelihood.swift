/// A reconstruction term — Bernoulli or Gaussian negative log-likelihood — over a batch with its
/// elements split among a team's members: each member's part in blocks of 64 elements, the parts'
/// sums added in member order, so the bytes depend on the team's size but never on timing, and a
/// team of one gives exactly `BernoulliLoss.evaluate` / `GaussianLoss.evaluate`.
public final class SplitLikelihood {
    /// The likelihood: Bernoulli on logits, or Gaussian with a fixed σ on means.
    public enum Kind: Sendable, Equatable {
        case bernoulli
        case gaussian(sigma: Float)
    }

    public let kind: Kind
    public let team: ThreadTeam

    public init(_ kind: Kind, team: ThreadTeam) {
        self.kind = kind
        self.team = team
    }

    /// The sum over `count` elements; writes `scale · ∂/∂output` into `gradient` when given.
    public func evaluate(_ output: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
                        gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        guard team.size > 1 else { return evaluate(output, targets, count, gradient, scale) }
        team.run(job, (output, targets, count, gradient, scale))
        return team.sumOfPartials()
    }

    private lazy var job = TeamJob<(UnsafePointer<Float>, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>?, Float)> {
        [unowned(unsafe) self] a, member in
        let (output, targets, count, gradient, scale) = a, r = team.part(member, of: count, granule: 64), o = r.lowerBound
        team.partial(member).pointee = r.isEmpty ? 0 : evaluate(output + o, targets + o, r.count, gradient.map { $0 + o }, scale)
    }

    private func evaluate(_ output: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, _ count: Int,
                          _ gradient: UnsafeMutablePointer<Float>?, _ scale: Float) -> Double {
        switch kind {
        case .bernoulli:
            return BernoulliLoss.evaluate(logits: output, targets: targets, count: count, gradient: gradient, scale: scale)
        case .gaussian(let sigma):
            return GaussianLoss.evaluate(mean: output, targets: targets, count: count, sigma: sigma, gradient: gradient, scale: scale)
        }
    }
}
