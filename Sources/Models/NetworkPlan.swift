import NN

/// A network's layers planned from its spec (`NetworkBuilder.plan`): every shape checked, nothing
/// allocated. `makeLayers()` builds them; the sizes feed the memory estimate (`ModelPlan`).
public struct NetworkPlan: Sendable, Equatable {
    public var layers: [LayerPlan]
    /// One example's shape after the last layer (the input's when there are no layers yet).
    public var output: [Int]
    /// For each spec entry, the index of the last planned layer it produced.
    public var specEnds: [Int]

    /// The NN layers, in order (each a fresh instance).
    public func makeLayers() -> [Layer] { layers.map { $0.make() } }

    public var parameters: Int { Saturating.sum(layers.map(\.parameters)) }
    public var state: Int { Saturating.sum(layers.map(\.state)) }

    /// Floats of all layers' activation buffers for `maxBatch` examples.
    public func bufferFloats(maxBatch: Int, threads: Int = 1) -> Int {
        Saturating.sum(layers.map { $0.bufferFloats(maxBatch: maxBatch, threads: threads) })
    }
}
