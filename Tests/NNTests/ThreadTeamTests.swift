import Synchronization
import Testing
@testable import NN

/// The team itself: how work is split, that every member runs every job exactly once, and that a
/// reduction's bytes depend on the team's size only.
@Suite struct ThreadTeamTests {
    @Test(arguments: [1, 2, 3, 5], [0, 1, 7, 64, 1000])
    func partsCoverTheRangeInMemberOrder(size: Int, count: Int) {
        let team = ThreadTeam(size: size)
        for granule in [1, 4, 16] {
            var next = 0
            for member in 0..<size {
                let part = team.part(member, of: count, granule: granule)
                #expect(part.lowerBound == next, "member \(member) of \(size), count \(count), granule \(granule)")
                if part.lowerBound < count { #expect(part.lowerBound % granule == 0) }
                next = part.upperBound
            }
            #expect(next == count)
        }
    }

    final class Counts: @unchecked Sendable {
        let perMember: UnsafeMutablePointer<Int>
        init(_ n: Int) { perMember = .allocate(capacity: n); perMember.initialize(repeating: 0, count: n) }
        deinit { perMember.deallocate() }
    }

    @Test func everyMemberRunsEveryJobOnceAndTheCallerWaitsForAll() {
        let team = ThreadTeam(size: 4)
        let counts = Counts(4 * 16)
        let job = TeamJob<Int> { round, member in counts.perMember[member * 16] += round }
        var expected = 0
        for round in 1...2_000 {
            team.run(job, round)
            expected += round
            // Every member's count is final when `run` returns.
            for member in 0..<4 { #expect(counts.perMember[member * 16] == expected) }
            if counts.perMember[16] != expected { break }
        }
    }

    @Test func idleWorkersSleepAndWakeForTheNextJob() async throws {
        let team = ThreadTeam(size: 3)
        let counts = Counts(3)
        let job = TeamJob<Void> { _, member in counts.perMember[member] += 1 }
        team.run(job, ())
        try await Task.sleep(for: .milliseconds(300))   // past the spinning: workers wait on the condition
        team.run(job, ())
        #expect((0..<3).map { counts.perMember[$0] } == [2, 2, 2])
    }

    @Test func partialSumsAreAddedInMemberOrder() {
        let team = ThreadTeam(size: 3)
        let values: [Double] = [1e16, 1, -1e16]   // (1e16 + 1) − 1e16 = 0 in member order, 1 in another
        let job = TeamJob<Void> { _, member in team.partial(member).pointee = values[member] }
        for _ in 0..<50 {
            team.run(job, ())
            #expect(team.sumOfPartials() == (values[0] + values[1]) + values[2])
        }
    }

    @Test func aTeamOfOneRunsOnTheCallingThread() {
        let job = TeamJob<Void> { _, member in #expect(member == 0) }
        ThreadTeam.serial.run(job, ())
        #expect(ThreadTeam.serial.part(0, of: 10, granule: 4) == 0..<10)
    }
}
