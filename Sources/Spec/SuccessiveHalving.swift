/// `search.successive_halving`: Jamieson & Talwalkar's successive halving over a random
/// search's trials, synchronous and deterministic.
///
/// Each trial trains to the first rung's budget (`minEpochs`); at each rung the trials are ranked
/// by `metric` (the mean over the seeds of the value in the runs' `final.json` or
/// `evaluation.json`, as `runs.csv` names it) and the best ⌊n / `reduction`⌋ (at least one) go on
/// to the next rung, continuing from their checkpoint to `reduction` times the budget, up to the
/// file's `training.epochs`. Ties go to the lower trial number; a trial whose runs diverged or did
/// not report the metric ranks last. A rung is decided only when every run in it has finished,
/// from those files alone, so the same results give the same promotions whatever `--jobs`,
/// shards or interruptions.
public struct SuccessiveHalving: Sendable, Equatable {
    /// Which end of the metric is better.
    public enum Goal: String, Sendable, CaseIterable {
        case minimize, maximize
    }

    /// The first rung's budget in epochs (≥ 1, below `training.epochs`).
    public var minEpochs: Int
    /// η: each rung keeps 1 in η of the trials and multiplies the budget by η (≥ 2).
    public var reduction: Int
    /// The metric that ranks trials, as `runs.csv` names it (`fid`, `test_neg_elbo`, `mig`).
    public var metric: String
    public var goal: Goal

    public init(minEpochs: Int, reduction: Int, metric: String, goal: Goal) {
        self.minEpochs = minEpochs
        self.reduction = reduction
        self.metric = metric
        self.goal = goal
    }

    /// The rungs' budgets for a file whose `training.epochs` is `epochs`: `minEpochs`·ηʳ while
    /// below `epochs`, then `epochs` itself (1, 3, 9, 20 for η = 3 and 20 epochs).
    public func budgets(epochs: Int) -> [Int] {
        var budgets: [Int] = []
        var budget = minEpochs
        while budget < epochs {
            budgets.append(budget)
            let (next, overflow) = budget.multipliedReportingOverflow(by: reduction)
            if overflow { break }
            budget = next
        }
        return budgets + [epochs]
    }

    /// How many of `count` ranked trials go on to the next rung: ⌊count / η⌋, at least 1.
    public func promoted(from count: Int) -> Int { max(1, count / reduction) }

    /// The swept value under which a run of a halving search records its budget.
    public static let budgetPath = "training.epochs"
}
