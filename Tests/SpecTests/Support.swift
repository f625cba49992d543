import Spec

/// The quickstart experiment from the brief, as text.
let quickstart = """
{"name":"quickstart","data":{"dataset":"sprites","size":32,"train_size":8000,"test_size":1000},\
"model":{"type":"vae","latent":8,"beta":1,"likelihood":"bernoulli","encoder":[{"dense":256,"activation":"relu"}],\
"decoder":[{"dense":256,"activation":"relu"}]},"training":{"epochs":3,"batch":64,"optimizer":{"type":"adam","lr":0.001}},\
"seeds":[0,1],"sweep":{"model.beta":[1,4]}}
"""

/// A minimal valid experiment as a tree, for tests that change one thing.
let minimal: JSONValue = [
    "name": "t",
    "data": ["dataset": "ring"],
    "model": ["type": "vae", "latent": 2],
    "training": ["epochs": 1],
]

/// `value` with the member at `keys` replaced (nil removes it); missing objects are created.
func setting(_ value: JSONValue, _ keys: [String], _ newValue: JSONValue?) -> JSONValue {
    guard let key = keys.first else { return newValue ?? .null }
    guard case .object(var object) = value else { return value }
    if keys.count == 1 {
        object[key] = newValue
    } else {
        object[key] = setting(object[key] ?? .object([:]), Array(keys.dropFirst()), newValue)
    }
    return .object(object)
}

/// The error parsing `text` throws, or nil if it parses.
func specError(_ text: String, file: String = "x.json") -> SpecError? {
    do {
        _ = try ExperimentLoader.parse(text: text, file: file)
        return nil
    } catch let error as SpecError {
        return error
    } catch {
        return SpecError(file: "", path: "", expected: "a SpecError", found: "\(error)")
    }
}

/// `tree` as JSON text with object members in their order (the writer's forms sort them, and
/// sweep order matters).
func text(_ tree: JSONValue) -> String {
    switch tree {
    case .array(let elements): return "[" + elements.map(text).joined(separator: ",") + "]"
    case .object(let object):
        return "{" + object.members.map { JSONWriter.quoted($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
    default: return tree.canonical
    }
}

func specError(_ tree: JSONValue) -> SpecError? {
    specError(text(tree))
}

func experiment(_ tree: JSONValue) throws -> Experiment {
    try ExperimentLoader.parse(text: text(tree), file: "x.json")
}

func parseError(_ text: String) -> SpecError? {
    do {
        _ = try JSONParser.parse(text, file: "p.json")
        return nil
    } catch let error as SpecError {
        return error
    } catch {
        return nil
    }
}
