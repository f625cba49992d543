import Spec

/// How runs and their thread teams share a machine's cores: a run with `training.threads` T keeps
/// T cores busy, so C cores take ⌊C / T⌋ runs at once (`genlab run`'s default `--jobs`, and the
/// runs per task `genlab slurm` gives each `--cpus-per-task`).
public enum CoreSharing {
    /// The largest `training.threads` among `runs` (1 for none).
    public static func threads(of runs: [RunSpec]) -> Int {
        runs.map(\.training.threads).max() ?? 1
    }

    /// Runs at once on `cores` cores when each uses `threads`: ⌊cores / threads⌋, at least 1.
    public static func jobs(cores: Int, threads: Int) -> Int {
        max(1, cores / max(1, threads))
    }

    /// A note when `jobs` runs of `threads` threads each ask for more than `cores` cores (they then
    /// take turns on the cores and each is slower; the results do not change).
    public static func oversubscription(jobs: Int, threads: Int, cores: Int) -> String? {
        guard jobs * threads > cores else { return nil }
        return "note: --jobs \(jobs) × training.threads \(threads) = \(jobs * threads) threads on \(cores) cores: "
            + "runs will share cores (same results, each slower); --jobs \(CoreSharing.jobs(cores: cores, threads: threads)) fits"
    }
}
