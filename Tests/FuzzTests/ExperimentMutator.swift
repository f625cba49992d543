import Spec

/// Turns a valid experiment file into a hostile one: byte-level mutations (flip, overwrite,
/// insert, delete, duplicate, splice with another file), structural ones on the parsed tree
/// (extreme numbers, wrong types, dropped or added keys, copied subtrees, grown arrays, deep
/// nesting, long strings) and textual ones JSON trees cannot hold (duplicate keys, 1e999, NaN).
struct ExperimentMutator {
    /// The valid files mutations start from (and splice with).
    let corpus: [String]

    /// Integers that break arithmetic: zero, negatives, 2³¹, 2³², 2⁶³ − 1, Int64.min.
    static let extremeInts: [Int64] = [0, -1, 1, 2, 3, 255, 256, 257, 1 << 31, (1 << 31) - 1, 1 << 32, 1 << 53, .max, .min,
                                       1_000_000, 10_000_001, 16_777_217, 1_000_000_001]
    static let extremeValues: [JSONValue] = extremeInts.map(JSONValue.int) + [
        .number(1e308), .number(-1e308), .number(5e-324), .number(0.5), .number(-0.0), .number(3.4e38), .number(1e39),
        .string("NaN"), .string("Infinity"), .string("-inf"), .string(""), .string("1e999"), .null, .bool(true),
        .array([]), .object([:]),
    ]
    /// Keys the decoder knows, to add where they may or may not apply.
    static let knownKeys = ["batch", "epochs", "padding", "kernel", "stride", "packing", "seeds", "sweep", "variants",
                            "reshape", "latent", "train_size", "test_size", "size", "ema", "checkpoint_steps",
                            "warmup_steps", "beta_warmup_steps", "discriminator_steps", "instance_noise_decay_steps",
                            "dense", "conv", "deconv", "maxout", "pieces", "feature_layer", "name", "dataset", "metrics",
                            "samples", "k", "threads", "interpolation_steps", "type", "schedule", "flatten"]
    /// Texts a JSON tree cannot hold, written in place of a number.
    static let badNumberTexts = ["1e999", "-1e999", "NaN", "Infinity", "-0", "01", "1.", ".5", "0x10", "1e-400",
                                 "9223372036854775808", "-9223372036854775809", "18446744073709551616"]

    func mutate(_ seed: String, rng: inout FuzzRandom) -> String {
        var text = seed
        for _ in 0..<(1 + rng.below(3)) {
            switch rng.below(10) {
            case 0...4: text = structural(text, rng: &rng)
            case 5...7: text = bytes(text, rng: &rng)
            default: text = textual(text, rng: &rng)
            }
        }
        return text
    }

    // MARK: - Bytes

    func bytes(_ text: String, rng: inout FuzzRandom) -> String {
        var bytes = Array(text.utf8)
        let position = bytes.isEmpty ? 0 : rng.below(bytes.count)
        switch rng.below(6) {
        case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << rng.below(8))
        case 1 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
            let inserted = (0..<(1 + rng.below(8))).map { _ in rng.pick(Array("{}[]\":,0123456789-.eE \n\\tfnu".utf8)) }
            bytes.insert(contentsOf: inserted, at: position)
        case 3 where !bytes.isEmpty:
            bytes.removeSubrange(position..<min(bytes.count, position + 1 + rng.below(32)))
        case 4 where !bytes.isEmpty:
            let end = min(bytes.count, position + 1 + rng.below(64))
            bytes.insert(contentsOf: bytes[position..<end], at: rng.below(bytes.count))
        default:
            // Splice: a prefix of this file with a suffix of another.
            let other = Array(rng.pick(corpus).utf8)
            bytes = Array(bytes[..<position]) + Array(other[(other.isEmpty ? 0 : rng.below(other.count))...])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Text

    func textual(_ text: String, rng: inout FuzzRandom) -> String {
        var bytes = Array(text.utf8)
        switch rng.below(3) {
        case 0:
            // A number literal replaced by one JSON or GenLab must refuse.
            let starts = bytes.indices.filter { i in
                (bytes[i] == UInt8(ascii: "-") || (bytes[i] >= 48 && bytes[i] <= 57))
                    && (i == 0 || [UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "["), UInt8(ascii: ",")].contains(bytes[i - 1]))
            }
            guard !starts.isEmpty else { return text }
            let start = rng.pick(starts)
            var end = start + 1
            while end < bytes.count, Array("0123456789.eE+-".utf8).contains(bytes[end]) { end += 1 }
            bytes.replaceSubrange(start..<end, with: Array(rng.pick(Self.badNumberTexts).utf8))
        case 1:
            // A duplicate key: `"key": ` inserted again right after an object's opening brace.
            let opens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "{") }
            guard !opens.isEmpty else { return text }
            let key = "\"\(rng.pick(Self.knownKeys))\": 1, "
            let at = rng.pick(opens) + 1
            bytes.insert(contentsOf: Array(key.utf8) + Array(key.utf8), at: at)
        default:
            // Deep nesting in place of a value (past the parser's depth limit half of the time).
            let colons = bytes.indices.filter { bytes[$0] == UInt8(ascii: ":") }
            guard !colons.isEmpty else { return text }
            let depth = rng.chance(0.5) ? 400 + rng.below(200) : 10_000
            let nested = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + ","
            bytes.insert(contentsOf: Array(nested.utf8), at: rng.pick(colons) + 1)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Tree

    /// Where a node is: object keys and array indices from the root.
    enum Step { case key(String), index(Int) }

    func structural(_ text: String, rng: inout FuzzRandom) -> String {
        guard var tree = try? JSONParser.parse(text, file: "seed") else { return bytes(text, rng: &rng) }
        let paths = Self.paths(in: tree)
        let path = rng.pick(paths)
        let node = Self.node(at: path[...], in: tree)
        let replacement: JSONValue?
        switch rng.below(8) {
        case 0, 1:
            replacement = rng.pick(Self.extremeValues)
        case 2:
            replacement = nil  // drop the member or element
        case 3:
            // Add a known key with an extreme value to an object.
            guard case .object(var object) = node else { return JSONWriter.pretty(tree) }
            object[rng.pick(Self.knownKeys)] = rng.pick(Self.extremeValues)
            replacement = .object(object)
        case 4:
            replacement = Self.node(at: rng.pick(paths)[...], in: tree)  // a copy of another subtree
        case 5:
            // Grow an array: an element repeated up to 300 times.
            guard case .array(let elements) = node, !elements.isEmpty else { return JSONWriter.pretty(tree) }
            replacement = .array(elements + Array(repeating: rng.pick(elements), count: 1 + rng.below(300)))
        case 6:
            replacement = .string(String(repeating: rng.pick(["a", ".", "/", "é", "\u{0}"]), count: rng.pick([101, 300, 10_000])))
        default:
            var nested = node
            for _ in 0..<(1 + rng.below(40)) { nested = rng.chance(0.5) ? .array([nested]) : .object(["x": nested]) }
            replacement = nested
        }
        tree = Self.replacing(path[...], in: tree, with: replacement) ?? .null
        return rng.chance(0.5) ? JSONWriter.pretty(tree) : JSONWriter.canonical(tree)
    }

    static func paths(in value: JSONValue, prefix: [Step] = []) -> [[Step]] {
        var result = [prefix]
        switch value {
        case .object(let object):
            for member in object { result += paths(in: member.value, prefix: prefix + [.key(member.key)]) }
        case .array(let elements):
            for (i, element) in elements.enumerated() { result += paths(in: element, prefix: prefix + [.index(i)]) }
        default: break
        }
        return result
    }

    static func node(at path: ArraySlice<Step>, in value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        switch (first, value) {
        case let (.key(key), .object(object)): return node(at: path.dropFirst(), in: object[key] ?? .null)
        case let (.index(i), .array(elements)) where elements.indices.contains(i): return node(at: path.dropFirst(), in: elements[i])
        default: return .null
        }
    }

    /// `value` with the node at `path` replaced (nil removes it from its object or array).
    static func replacing(_ path: ArraySlice<Step>, in value: JSONValue, with replacement: JSONValue?) -> JSONValue? {
        guard let first = path.first else { return replacement }
        switch (first, value) {
        case let (.key(key), .object(object)):
            var copy = object
            copy[key] = replacing(path.dropFirst(), in: object[key] ?? .null, with: replacement)
            return .object(copy)
        case let (.index(i), .array(elements)) where elements.indices.contains(i):
            var copy = elements
            if let new = replacing(path.dropFirst(), in: elements[i], with: replacement) { copy[i] = new } else { copy.remove(at: i) }
            return .array(copy)
        default:
            return value
        }
    }
}
