/// A seeded pseudo-random stream: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64.
///
/// GenLab never uses the system generator. Every consumer of randomness receives a stream derived
/// from `(run seed, purpose)`, so adding a new consumer (a metric, a figure) never shifts the numbers
/// another consumer sees. The state is four 64-bit words and can be saved and restored exactly.
public struct RandomStream: RandomNumberGenerator, Sendable, Equatable {
    /// The generator state; restoring it resumes the stream exactly.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// A stream seeded from a single 64-bit value (expanded with SplitMix64, which never yields an
    /// all-zero state).
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        state = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    /// The independent stream for `purpose` (e.g. "init", "data", "noise", "eval") of a run seed.
    /// The purpose is hashed with FNV-1a (stable across processes, unlike `Hasher`).
    public init(seed: UInt64, purpose: String) {
        self.init(seed: RandomStream.mix(seed, RandomStream.fnv1a(purpose)))
    }

    /// Restores a stream from a saved state.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    /// A child stream, independent of this one, for a sub-purpose (e.g. one per layer).
    public func derived(_ purpose: String) -> RandomStream {
        RandomStream(seed: RandomStream.mix(state.0 ^ state.2, RandomStream.fnv1a(purpose)))
    }

    public static func == (a: RandomStream, b: RandomStream) -> Bool { a.state == b.state }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 bits of resolution.
    @inline(__always)
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in [0, 1) with 53 bits of resolution.
    @inline(__always)
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<bound (Lemire's nearly-divisionless method, unbiased).
    @inline(__always)
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A standard normal deviate (Box–Muller in double precision, one value per call so the
    /// stream position does not depend on call parity).
    @inline(__always)
    public mutating func nextNormal() -> Float {
        Float(nextNormalDouble())
    }

    /// A standard normal deviate in double precision.
    public mutating func nextNormalDouble() -> Double {
        let u1 = 1.0 - nextUniformDouble()  // (0, 1]
        let u2 = nextUniformDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// Fills `buffer` with independent N(mean, std²) deviates.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        for i in buffer.indices { buffer[i] = mean + std * nextNormal() }
    }

    /// Fills `buffer` with independent U(low, high) deviates.
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float, high: Float) {
        let width = high - low
        for i in buffer.indices { buffer[i] = low + width * nextUniform() }
    }

    /// Shuffles `indices` in place (Fisher–Yates).
    public mutating func shuffle(_ indices: inout [Int]) {
        guard indices.count > 1 else { return }
        for i in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(i, nextInt(below: i + 1))
        }
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var sm = SplitMix64(state: a ^ (b &* 0x9e37_79b9_7f4a_7c15))
        return sm.next() ^ sm.next()
    }
}

/// SplitMix64 (Steele et al. 2014): used only to expand seeds.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
