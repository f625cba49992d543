import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed team of threads that share one job at a time: the data-parallel training step's
/// workers (`training.threads`).
///
/// The caller is member 0; `size − 1` threads are created with the team, once per run, and wait
/// for work. `run` hands every member the same job (`TeamJob`) with its own member index and
/// returns when all have finished: a fork and a join, nothing allocated. Which member does what is
/// fixed by the index (`part(_:of:granule:)`), never by timing, so a job whose members write
/// disjoint outputs (or partial sums added in member order, `sumOfPartials`) gives the same bytes
/// every time.
///
/// Waiting members spin briefly (a step's layers follow each other within microseconds) and then
/// sleep on a condition variable, so an idle team costs nothing between steps or runs.
public final class ThreadTeam: @unchecked Sendable {
    /// Members, the caller included.
    public let size: Int
    private let shared: TeamState
    private var threads: [pthread_t] = []
    /// One Double per member, 64 bytes apart, for partial sums (`partial(_:)`, `sumOfPartials()`).
    let partials: UnsafeMutablePointer<Double>
    static let partialStride = 8

    /// The team of one: `run` calls the job on the calling thread.
    public static let serial = ThreadTeam(size: 1)

    /// A team of `size` members (at least 1); creates `size − 1` threads.
    public init(size: Int) {
        precondition(size >= 1, "a thread team needs at least one member, got \(size)")
        self.size = size
        // More threads than cores: a spinning thread would hold the core another member needs.
        let oversubscribed = size > Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        shared = TeamState(workers: size - 1, spin: !oversubscribed)
        partials = .allocate(capacity: size * ThreadTeam.partialStride)
        partials.initialize(repeating: 0, count: size * ThreadTeam.partialStride)
        for member in 1..<max(size, 1) {
            let context = Unmanaged.passRetained(WorkerContext(state: shared, member: member)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.state.serve(member: context.member)
                return nil
            }, context)
            precondition(status == 0, "cannot create a training thread (pthread_create: \(status))")
            threads.append(thread)
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
        partials.deallocate()
    }

    /// Runs `job` with `arguments` on every member 0..<size at once, member 0 on the calling
    /// thread, and returns when all have returned. Not reentrant: a job must not run another job
    /// on the same team.
    public func run<Arguments>(_ job: TeamJob<Arguments>, _ arguments: Arguments) {
        guard size > 1 else { job.body(arguments, 0); return }
        job.arguments = arguments
        shared.start(job.invoke)
        job.invoke(0)
        shared.waitForWorkers()
    }

    /// Member `member`'s slot for a partial sum (`sumOfPartials`).
    public func partial(_ member: Int) -> UnsafeMutablePointer<Double> { partials + member * ThreadTeam.partialStride }

    /// The members' partial sums added in member order: a reduction whose bytes depend on the
    /// team's size but never on timing.
    public func sumOfPartials() -> Double {
        var total = 0.0
        for member in 0..<size { total += partials[member * ThreadTeam.partialStride] }
        return total
    }
}

/// Work handed to a team again and again (a layer's pass): the closure is made once, when the
/// job is, and each `ThreadTeam.run` passes the call's values as `Arguments`, so a pass allocates
/// nothing (a closure made per call would need a heap context to reach the other threads). The
/// owners' closures hold them `unowned(unsafe)`: a job lives in and runs only for its owner, and
/// plain `unowned` cost a retain and release on every use of the owner inside the loops.
public final class TeamJob<Arguments> {
    /// `body(arguments, member)`: member's share of the work.
    let body: (Arguments, Int) -> Void
    var arguments: Arguments?
    private(set) var invoke: (Int) -> Void = { _ in }

    public init(_ body: @escaping (Arguments, Int) -> Void) {
        self.body = body
        invoke = { [unowned(unsafe) self] member in self.body(self.arguments!, member) }
    }
}

/// What a worker thread needs: the shared state and its member index.
private final class WorkerContext {
    let state: TeamState
    let member: Int
    init(state: TeamState, member: Int) { self.state = state; self.member = member }
}

/// The team's shared state: the job, a generation counter that announces it, a counter of
/// finished workers, and a mutex and condition variable for workers that stopped spinning.
private final class TeamState: @unchecked Sendable {
    let workers: Int
    let generation = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    /// Workers asleep on the condition variable (read and written under the mutex).
    var sleepers = 0
    let stopping = Atomic<Bool>(false)
    /// The current job; written before `generation` is raised, cleared after all workers finished.
    var job: (Int) -> Void = TeamState.idle
    static let idle: @Sendable (Int) -> Void = { _ in }
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    /// How long a waiting worker polls before it sleeps: longer than the serial stretches inside
    /// a step (a loss, the noise), so workers sleep only between steps, since a sleeping worker
    /// costs a futex wake-up (tens of microseconds) at the next job.
    static let spinNanoseconds: UInt64 = 300_000
    /// How long the caller polls for its workers before it yields between polls (a worker that
    /// was descheduled needs the core).
    static let waitNanoseconds: UInt64 = 50_000

    /// A monotonic clock in nanoseconds.
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    /// Whether waiting threads poll before they sleep or yield (not when the team has more threads
    /// than the machine has cores).
    let spin: Bool

    init(workers: Int, spin: Bool) {
        self.workers = workers
        self.spin = spin
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    func start(_ job: @escaping (Int) -> Void) {
        self.job = job
        finished.store(0, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        if sleepers > 0 { pthread_cond_broadcast(condition) }
        pthread_mutex_unlock(mutex)
    }

    func waitForWorkers() {
        var polls = 0, start: UInt64 = 0
        while finished.load(ordering: .acquiring) < workers {
            polls += 1
            guard polls & 255 == 0 || !spin else { continue }
            let now = TeamState.now()
            if start == 0 && spin { start = now } else if !spin || now - start > TeamState.waitNanoseconds { sched_yield() }
        }
        job = TeamState.idle
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// A worker's loop: wait for the next generation, run its part, report, until stopped.
    func serve(member: Int) {
        var seen = 0
        while true {
            var polls = 0, start: UInt64 = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                polls += 1
                if polls & 255 == 0 || !spin {
                    let now = TeamState.now()
                    if start == 0 && spin {
                        start = now
                    } else if !spin || now - start > TeamState.spinNanoseconds {
                        pthread_mutex_lock(mutex)
                        sleepers += 1
                        while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                        sleepers -= 1
                        pthread_mutex_unlock(mutex)
                    }
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if stopping.load(ordering: .relaxed) { return }
            runJob(member)
            finished.add(1, ordering: .releasing)
        }
    }

    /// Calls the job in its own frame, so the worker's reference to it ends before it reports.
    @inline(never)
    private func runJob(_ member: Int) { job(member) }
}
