import Testing
import Spec

@Suite struct JSONParserTests {
    @Test func parsesAllValueKindsKeepingKeyOrder() throws {
        let value = try JSONParser.parse(#" {"b": [1, -2.5, 3e2, true, false, null], "a": "x\u00e9\n\ud83d\ude00", "c": {}} "#, file: "p")
        let expected: JSONValue = ["b": [1, -2.5, 300.0, true, false, .null], "a": "xé\n😀", "c": [:]]
        #expect(value == expected)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a", "c"])
    }

    @Test func integerLiteralsStayIntegers() throws {
        #expect(try JSONParser.parse("4", file: "p") == .int(4))
        #expect(try JSONParser.parse("4.0", file: "p") == .number(4))
        #expect(try JSONParser.parse("4e0", file: "p") == .number(4))
        #expect(try JSONParser.parse("-0", file: "p") == .int(0))
        #expect(try JSONParser.parse("9223372036854775807", file: "p") == .int(.max))
        #expect(try JSONParser.parse("9223372036854775808", file: "p") == .number(9223372036854775808))
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        #expect(parseError("{\n  \"a\": 1,\n}") == SpecError(
            file: "p.json", path: "line 3, column 1", expected: "a string key", found: "character \"}\"",
            hint: "trailing commas are not allowed"))
        #expect(parseError("[1, 2,]") == SpecError(
            file: "p.json", path: "line 1, column 7", expected: "a value", found: "character \"]\"",
            hint: "trailing commas are not allowed"))
        #expect(parseError("{\"a\": 1 // note\n}") == SpecError(
            file: "p.json", path: "line 1, column 9", expected: "\",\" or \"}\"", found: "character \"/\""))
        #expect(parseError("// note\n{}") == SpecError(
            file: "p.json", path: "line 1, column 1", expected: "a JSON value", found: "character \"/\"",
            hint: "JSON does not allow comments"))
        #expect(parseError("{\"a\": NaN}") == SpecError(
            file: "p.json", path: "line 1, column 7", expected: "a JSON value", found: "word \"NaN\"",
            hint: "JSON has no NaN or Infinity"))
        #expect(parseError("[01]") == SpecError(
            file: "p.json", path: "line 1, column 2", expected: "a number without leading zeros", found: "01"))
        #expect(parseError("[1.]") == SpecError(
            file: "p.json", path: "line 1, column 4", expected: "a digit after the decimal point", found: "character \"]\""))
        #expect(parseError("") == SpecError(
            file: "p.json", path: "line 1, column 1", expected: "a JSON value", found: "end of input"))
        #expect(parseError("{} x") == SpecError(
            file: "p.json", path: "line 1, column 4", expected: "end of input after the document", found: "character \"x\""))
        #expect(parseError("{'a': 1}") == SpecError(
            file: "p.json", path: "line 1, column 2", expected: "a string key or \"}\"", found: "character \"'\"",
            hint: "object keys are double-quoted strings"))
        #expect(parseError("\"a\tb\"") == SpecError(
            file: "p.json", path: "line 1, column 3", expected: "a control character written as an escape such as \\n",
            found: "control character U+0009"))
        #expect(parseError("[1e999]") == SpecError(
            file: "p.json", path: "line 1, column 2", expected: "a number within the range of a 64-bit float", found: "number 1e999"))
        #expect(parseError("\"\\ud800\"") == SpecError(
            file: "p.json", path: "line 1, column 2", expected: "a low surrogate \\uDC00-\\uDFFF after a high surrogate",
            found: "\\ud800"))
        #expect(parseError("\"é\" é") == SpecError(
            file: "p.json", path: "line 1, column 5", expected: "end of input after the document", found: "character \"é\""))
    }

    @Test func duplicateKeysAreRejected() {
        #expect(parseError("{\n \"latent\": 1,\n \"latent\": 2}") == SpecError(
            file: "p.json", path: "line 3, column 2", expected: "a key not already in this object",
            found: "duplicate key \"latent\"", hint: "first at line 2, column 2"))
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(parseError(deep)?.expected == "at most 512 levels of nesting")
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(parseError(ok) == nil)
    }
}

@Suite struct JSONWriterTests {
    @Test func canonicalSortsKeysAndHasNoWhitespace() {
        let value: JSONValue = ["b": 1, "a": [2.5, 4.0, 1e-5, 1e20], "é": "q\"\\\n\u{01}/", "A": .null, "c": true]
        #expect(value.canonical == #"{"A":null,"a":[2.5,4.0,1e-05,1e+20],"b":1,"c":true,"é":"q\"\\\n\u0001/"}"#)
    }

    @Test func prettyUsesTwoSpaces() {
        let value: JSONValue = ["b": [1, 2], "a": [:], "c": []]
        #expect(value.pretty == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": []\n}")
    }

    @Test func canonicalRoundTripsThroughTheParser() throws {
        let value: JSONValue = ["x": [0.1, -0.0, .number(.leastNonzeroMagnitude), 1.7976931348623157e308, -9223372036854775808, "☃\u{7F}"], "y": ["z": .null]]
        let parsed = try JSONParser.parse(value.canonical, file: "p")
        #expect(parsed.canonical == value.canonical)
        #expect(try JSONParser.parse(value.pretty, file: "p").canonical == value.canonical)
    }

    @Test func floatsUseTheirShortestText() {
        #expect(JSONValue.float(0.001).canonical == "0.001")
        #expect(JSONValue.float(1).canonical == "1.0")
        #expect(JSONValue.float(1e-8).canonical == "1e-08")
        #expect(JSONValue.float(0.999).canonical == "0.999")
    }
}
