import Crypto

/// SHA-256 as lowercase hex (swift-crypto), for result manifests, data fingerprints and caches.
/// Lives in `Spec` because it is the module that already depends on swift-crypto for run ids.
public enum SHA256Text {
    public static func hex(_ bytes: [UInt8]) -> String {
        text(SHA256.hash(data: bytes))
    }

    /// SHA-256 of bytes fed in pieces (a data set's examples, a folder's files), without holding
    /// them all at once.
    public struct Stream {
        private var hasher = SHA256()

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }
        public mutating func update(_ text: String) { update(Array(text.utf8)) }

        /// The digest of everything fed so far, as lowercase hex.
        public func hex() -> String { SHA256Text.text(hasher.finalize()) }
    }

    private static func text(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
