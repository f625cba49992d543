import Runner
import Spec
import Testing

/// How runs with thread teams share cores, and which OpenBLAS kernels a CPU can run.
@Suite struct CoreSharingTests {
    @Test func jobsAreTheCoresOverTheThreadsOfARun() {
        #expect(CoreSharing.jobs(cores: 4, threads: 2) == 2)
        #expect(CoreSharing.jobs(cores: 16, threads: 16) == 1)
        #expect(CoreSharing.jobs(cores: 2, threads: 4) == 1)
        #expect(CoreSharing.jobs(cores: 16, threads: 3) == 5)
        #expect(CoreSharing.oversubscription(jobs: 2, threads: 2, cores: 4) == nil)
        let note = CoreSharing.oversubscription(jobs: 2, threads: 2, cores: 2)
        #expect(note?.contains("4 threads on 2 cores") == true && note?.contains("--jobs 1 fits") == true, "\(note ?? "")")
    }

    @Test func theLargestThreadCountOfASweepSetsTheShare() throws {
        let text = """
            {"name": "t", "data": {"dataset": "ring"},
             "model": {"type": "gan", "latent": 2, "generator": [{"dense": 8}, {"dense": 2}], "discriminator": [{"dense": 8}]},
             "training": {"epochs": 1, "batch": 16}, "sweep": {"training.threads": [1, 4, 2]}}
            """
        let experiment = try ExperimentLoader.parse(text: text, file: "t.json")
        #expect(CoreSharing.threads(of: experiment.runs) == 4)
        #expect(Set(experiment.runs.map(\.id)).count == 3, "each thread count is its own run")
    }

    @Test func slurmTasksRunTheirCPUsOverTheThreadsAtOnce() {
        let scripts = SlurmScripts(experimentName: "t", genlab: "/bin/genlab", experimentFile: "/t.json", resultsRoot: "/r",
                                   workingDirectory: "/", shards: 3, cpusPerTask: 8, partition: nil, time: nil,
                                   arrayParallelism: nil, jobsPerTask: CoreSharing.jobs(cores: 8, threads: 4))
        #expect(scripts.array.contains("#SBATCH --cpus-per-task=8"))
        #expect(scripts.array.contains("--jobs 2"), "\(scripts.array)")
        #expect(SlurmScripts.defaultShards(runs: 9, jobsPerTask: 2) == 5)
    }

    @Test func aCPUWithAVX512RunsSkylakeXAndOneWithoutRunsHaswell() {
        let avx2: Set<String> = ["sse2", "avx", "avx2", "fma"]
        let avx512 = avx2.union(["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"])
        #expect(BLASKernel.fastest(flags: avx512) == "SkylakeX")
        #expect(BLASKernel.fastest(flags: avx2) == "Haswell")
        #expect(BLASKernel.fastest(flags: avx2.union(["avx512f"])) == "Haswell", "AVX-512F alone is not SkylakeX")
        #expect(BLASKernel.missing("SkylakeX", flags: avx2) == ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"])
        #expect(BLASKernel.missing("Haswell", flags: avx512) == [])
        #expect(BLASKernel.missing("Prescott", flags: avx512) == nil)
    }

    @Test func aRefusalNamesTheRunTheFamilyAndWhatTheCPULacks() {
        let lacking = BLASKernel.refusal("SkylakeX", runID: "abc123", flags: ["avx2", "fma"]) ?? ""
        #expect(lacking.contains("run abc123") && lacking.contains("SkylakeX") && lacking.contains("lacks avx512f"), "\(lacking)")
        let unknown = BLASKernel.refusal("Zen9", runID: "abc123", flags: ["avx2", "fma"]) ?? ""
        #expect(unknown.contains("does not know") && unknown.contains("Haswell"), "\(unknown)")
        #expect(BLASKernel.refusal("Haswell", runID: "abc123", flags: ["avx2", "fma"]) == nil)
        #expect(BLASKernel.cpuFlags(environment: [BLASKernel.flagsVariable: "sse2 avx2"]) == ["sse2", "avx2"])
    }
}
