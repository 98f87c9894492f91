import GlossCore
import Testing

@Suite("JSON parsing and canonical writing")
struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2.5,true,false,null],"b":{"c":"d"},"e":1e2}"#)
        #expect(value == .object([
            "a": .array([.integer(1), .number(-2.5), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]),
            "e": .number(100),
        ]))
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        // \ud83d\ude00 is the UTF-16 surrogate pair of U+1F600 😀; \u00e9 is é; \u200c is ZWNJ.
        #expect(try JSONParser.parse(#""\ud83d\ude00 caf\u00e9 \u200c \"q\" \\ \/ \n\t""#) == .string("😀 café \u{200C} \"q\" \\ / \n\t"))
    }

    @Test(arguments: [
        (#""\ud83d x""#, 1, "lone high surrogate"),
        (#""\ude00""#, 1, "lone low surrogate"),
        (#"{"a":1,"a":2}"#, 7, "duplicate key"),
        (#"{"a":1} x"#, 8, "unexpected text after"),
        (#"{"a":01}"#, 5, "leading zeros"),
        (#"{"a":"x"#, 5, "not closed"),
        ("[1,2", 4, "not closed"),
        ("\"tab\there\"", 4, "control character"),
        ("", 0, "unexpected end"),
        ("tru", 0, "expected true"),
        ("99999999999999999999", 0, "too large"),
    ])
    func refusesMalformedInputWithAPosition(input: String, byteOffset: Int, message: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("accepted \(input)")
        } catch {
            #expect(error.byteOffset == byteOffset)
            #expect(error.message.contains(message))
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
    }

    @Test func writesCanonicalJSONWithSortedKeysAndMinimalEscapes() throws {
        let value = JSONValue.object(["z": .integer(3), "a": .string("«می‌خواهیم» 😡\r\n\u{1}\"\\"), "m": .array([.number(2.5), .bool(true), .null])])
        #expect(value.canonicalJSON == #"{"a":"«می‌خواهیم» 😡\r\n\u0001\"\\","m":[2.5,true,null],"z":3}"#)
        #expect(try JSONParser.parse(value.canonicalJSON) == value)
    }

    @Test func keepsIntegersApartFromFractions() throws {
        #expect(try JSONParser.parse("3") == .integer(3))
        #expect(try JSONParser.parse("3.0") == .number(3))
        #expect(JSONValue.number(3).canonicalJSON == "3.0")
        #expect(try JSONParser.parse(JSONValue.number(3).canonicalJSON) == .number(3))
    }
}
