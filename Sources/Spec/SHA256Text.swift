import CCrypto

/// SHA-256 as lowercase hex, for run ids, result manifests, data fingerprints and caches.
///
/// From OpenSSL's libcrypto, which Debian ships (libssl-dev): swift-crypto gave the same digests
/// but compiled BoringSSL on every fresh clone, most of the first build's minutes (issue 18).
public enum SHA256Text {
    public static func hex(_ bytes: [UInt8]) -> String {
        var stream = Stream()
        stream.update(bytes)
        return stream.hex()
    }

    /// SHA-256 of bytes fed in pieces (a data set's examples, a folder's files), without holding
    /// them all at once. A value: a copy hashes on independently of the original.
    public struct Stream {
        private var context = DigestContext()

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            if !isKnownUniquelyReferenced(&context) { context = context.copy() }
            context.update(bytes)
        }
        public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }
        public mutating func update(_ text: String) { update(Array(text.utf8)) }

        /// The digest of everything fed so far, as lowercase hex; the stream can go on.
        public func hex() -> String { SHA256Text.text(context.copy().finish()) }
    }

    static func text(_ digest: [UInt8]) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// An OpenSSL EVP digest context for SHA-256, freed with its owner. A failure of libcrypto here is
/// an out-of-memory condition, not bad input, so it stops the process.
final class DigestContext {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL: EVP_MD_CTX_new failed (out of memory)") }
        self.context = context
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { fatalError("OpenSSL: SHA-256 initialisation failed") }
    }

    private init(copying other: OpaquePointer) {
        guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, other) == 1 else {
            fatalError("OpenSSL: copying a SHA-256 context failed (out of memory)")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func copy() -> DigestContext { DigestContext(copying: context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else { fatalError("OpenSSL: SHA-256 update failed") }
    }

    /// The 32-byte digest; the context is spent.
    func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { fatalError("OpenSSL: SHA-256 finalisation failed") }
        return Array(digest.prefix(Int(length)))
    }
}
