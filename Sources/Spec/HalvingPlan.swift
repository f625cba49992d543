/// The places of an experiment's runs in a successive-halving search (`SuccessiveHalving`):
/// for each run its bracket (the variant and sweep combination, which are searched apart), its
/// rung, its trial and its seed. Read from the runs' swept values, so it is the same for every
/// process that loads the file.
public struct HalvingPlan: Sendable {
    public struct Place: Sendable, Equatable, Hashable {
        public var bracket: Int
        public var rung: Int
        public var trial: Int
        /// The seed's index in the file's `seeds`.
        public var seed: Int

        public init(bracket: Int, rung: Int, trial: Int, seed: Int) {
            self.bracket = bracket
            self.rung = rung
            self.trial = trial
            self.seed = seed
        }
    }

    public let rule: SuccessiveHalving
    /// One per run, in the experiment's order.
    public let places: [Place]
    /// Each bracket's rung budgets in epochs, ascending.
    public let budgets: [[Int]]
    /// Trials per rung 0, and seeds per trial.
    public let trials: Int
    public let seeds: Int
    private let positions: [Place: Int]

    /// The plan of `runs` as `SpecDecoder` expands them: swept values `trial`, the searched paths
    /// and `training.epochs` (the rung's budget) after those of the bracket.
    public init(rule: SuccessiveHalving, runs: [RunSpec], searchedPaths: [String], seeds: [UInt64]) {
        let local = Set(searchedPaths + [RandomSearch.trialPath, SuccessiveHalving.budgetPath])
        var brackets: [String: Int] = [:]
        var budgets: [[Int]] = []
        var places: [Place] = []
        var trials = 0
        for run in runs {
            let key = run.swept.filter { !local.contains($0.path) }.map { $0.path + "=" + $0.value }.joined(separator: "\u{1}")
            let bracket = brackets[key] ?? brackets.count
            if brackets[key] == nil {
                brackets[key] = bracket
                budgets.append([])
            }
            let budget = run.training.epochs
            if !budgets[bracket].contains(budget) { budgets[bracket].append(budget) }
            let trial = run.swept.first { $0.path == RandomSearch.trialPath }.flatMap { Int($0.value) } ?? 0
            trials = max(trials, trial + 1)
            places.append(Place(bracket: bracket, rung: budgets[bracket].firstIndex(of: budget)!, trial: trial,
                                seed: seeds.firstIndex(of: run.seed) ?? 0))
        }
        self.rule = rule
        self.places = places
        self.budgets = budgets
        self.trials = trials
        self.seeds = seeds.count
        self.positions = Dictionary(places.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The run at `place`, if there is one.
    public func position(of place: Place) -> Int? { positions[place] }

    /// The run the one at `position` continues from: the same trial and seed one rung lower.
    public func predecessor(of position: Int) -> Int? {
        var place = places[position]
        guard place.rung > 0 else { return nil }
        place.rung -= 1
        return positions[place]
    }

    /// How many trials rung `rung` trains in each bracket (`trials` at rung 0, then ⌊n / η⌋).
    public func trialsAt(rung: Int) -> Int {
        (0..<rung).reduce(trials) { count, _ in rule.promoted(from: count) }
    }

    /// The runs that will be trained once every rung is decided.
    public var trainedRuns: Int {
        budgets.reduce(0) { sum, rungs in sum + rungs.indices.reduce(0) { $0 + trialsAt(rung: $1) } * seeds }
    }
}
