import Crypto

/// SHA-256 as lowercase hex (swift-crypto), for result manifests. Lives in `Spec` because it is
/// the module that already depends on swift-crypto for run ids.
public enum SHA256Text {
    public static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
