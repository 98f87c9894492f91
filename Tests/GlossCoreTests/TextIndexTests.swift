import Foundation
import GlossCore
import GlossTestSupport
import Testing

@Suite("Text index: offsets between code points, UTF-16 and UTF-8")
struct TextIndexTests {
    /// Hand-counted conversions. Each row: text, code-point offset, its UTF-16 offset, its UTF-8 offset.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var codePoint: Int
        var utf16: Int
        var utf8: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // "a😀b": 😀 is U+1F600, 2 UTF-16 units (D83D DE00), 4 UTF-8 bytes. "b" is code point 2, UTF-16 3, UTF-8 5.
        Case(name: "after an astral emoji", text: "a😀b", codePoint: 2, utf16: 3, utf8: 5),
        Case(name: "end after an astral emoji", text: "a😀b", codePoint: 3, utf16: 4, utf8: 6),
        Case(name: "before an astral emoji", text: "a😀b", codePoint: 1, utf16: 1, utf8: 1),
        // "cafe\u{301}!": e + COMBINING ACUTE ACCENT is 2 code points (one grapheme); U+0301 is 2 UTF-8 bytes.
        // "!" is code point 5, UTF-16 5, UTF-8 4 + 2 = 6.
        Case(name: "after a combining mark", text: "cafe\u{301}!", codePoint: 5, utf16: 5, utf8: 6),
        Case(name: "between base and combining mark", text: "cafe\u{301}!", codePoint: 4, utf16: 4, utf8: 4),
        // "a\r\nb": CR LF is one grapheme but two code points; "b" is at 3 in every unit.
        Case(name: "after CRLF", text: "a\r\nb", codePoint: 3, utf16: 3, utf8: 3),
        Case(name: "inside CRLF", text: "a\r\nb", codePoint: 2, utf16: 2, utf8: 2),
        // "می‌خواهیم": م ی ZWNJ خ و ا ه ی م — 9 code points; Arabic letters are 2 UTF-8 bytes, ZWNJ (U+200C) 3.
        // After the ZWNJ (code point 3): UTF-8 2 + 2 + 3 = 7.
        Case(name: "after ZWNJ in Dari", text: "می‌خواهیم", codePoint: 3, utf16: 3, utf8: 7),
        Case(name: "end of Dari word", text: "می‌خواهیم", codePoint: 9, utf16: 9, utf8: 19),
        // "15\u{A0}km": NO-BREAK SPACE is 2 UTF-8 bytes; "k" is code point 3, UTF-8 4.
        Case(name: "after NBSP", text: "15\u{A0}km", codePoint: 3, utf16: 3, utf8: 4),
        // Two astral characters in a row: "👍🏽x" (U+1F44D U+1F3FD): "x" at code point 2, UTF-16 4, UTF-8 8.
        Case(name: "after an emoji with skin tone", text: "👍🏽x", codePoint: 2, utf16: 4, utf8: 8),
        Case(name: "empty text", text: "", codePoint: 0, utf16: 0, utf8: 0),
    ]

    @Test(arguments: cases)
    func convertsBothWays(_ row: Case) throws {
        let index = TextIndex(row.text)
        #expect(try index.offset(fromCodePoint: row.codePoint, to: .utf16) == row.utf16)
        #expect(try index.offset(fromCodePoint: row.codePoint, to: .utf8) == row.utf8)
        #expect(try index.codePointOffset(row.utf16, from: .utf16) == row.codePoint)
        #expect(try index.codePointOffset(row.utf8, from: .utf8) == row.codePoint)
        #expect(try index.codePointOffset(row.codePoint, from: .codepoint) == row.codePoint)
    }

    @Test func countsCodePointsNotGraphemes() {
        // "cafe\u{301}" is 4 graphemes (String.count) but 5 code points; "a\r\nb" 3 graphemes, 4 code points.
        #expect(TextIndex("cafe\u{301}").codePointCount == 5)
        #expect(TextIndex("a\r\nb").codePointCount == 4)
        #expect(TextIndex("a😀b").utf16Count == 4)
        #expect(TextIndex("a😀b").utf8Count == 6)
    }

    @Test func refusesAnOffsetInsideASurrogatePair() {
        // UTF-16 offset 2 of "a😀b" lies between D83D and DE00.
        #expect(throws: OffsetError.insideSurrogatePair(offset: 2)) {
            try TextIndex("a😀b").codePointOffset(2, from: .utf16)
        }
    }

    @Test(arguments: [2, 3, 4])
    func refusesAnOffsetInsideAUTF8Sequence(_ offset: Int) {
        // Bytes 1...4 of "a😀b" are F0 9F 98 80; 2, 3 and 4 are continuation bytes.
        #expect(throws: OffsetError.insideUTF8Sequence(offset: offset)) {
            try TextIndex("a😀b").codePointOffset(offset, from: .utf8)
        }
    }

    @Test(arguments: OffsetUnit.allCases)
    func refusesOffsetsOutsideTheText(_ unit: OffsetUnit) {
        let index = TextIndex("abcd")
        #expect(throws: OffsetError.outOfBounds(offset: 5, unit: unit, length: 4)) { try index.codePointOffset(5, from: unit) }
        #expect(throws: OffsetError.outOfBounds(offset: -1, unit: unit, length: 4)) { try index.codePointOffset(-1, from: unit) }
    }

    @Test func refusesAnEndBeforeTheStart() {
        #expect(throws: OffsetError.endBeforeStart(start: 3, end: 2)) { try TextIndex("abcd").span(start: 3, end: 2, in: .codepoint) }
    }

    @Test func quotesByCodePoints() throws {
        let text = DocumentText("Kabul said: «می‌خواهیم» 😡 and cafe\u{301}.\r\nNext")
        // Code points: "Kabul said: «" is 13, the Dari word 9 (13..<22), "»" 22, " " 23, 😡 24, " " 25.
        #expect(try text.quote(TextSpan(start: 13, end: 22)) == "می‌خواهیم")
        #expect(try text.quote(TextSpan(start: 24, end: 25)) == "😡")
        // "and " 26..<30, "cafe\u{301}" 30..<35, "." 35, "\r\n" 36..<38, "Next" 38..<42.
        #expect(try text.quote(TextSpan(start: 30, end: 35)) == "cafe\u{301}")
        #expect(try text.quote(TextSpan(start: 35, end: 42)) == ".\r\nNext")
        #expect(text.index.codePointCount == 42)
    }

    @Test func quotesSpansThatSplitAGraphemeCluster() throws {
        // Spans are counted in code points, so they may end between "e" and U+0301, or between CR and LF.
        #expect(Array(try DocumentText("cafe\u{301}").quote(TextSpan(start: 0, end: 4)).utf8) == Array("cafe".utf8))
        #expect(Array(try DocumentText("cafe\u{301}").quote(TextSpan(start: 4, end: 5)).unicodeScalars) == ["\u{301}"])
        #expect(Array(try DocumentText("a\r\nb").quote(TextSpan(start: 0, end: 2)).utf8) == Array("a\r".utf8))
    }

    /// A reference conversion computed the slow, obvious way: one entry per scalar.
    private static func referenceOffsets(_ text: String) -> (utf16: [Int], utf8: [Int]) {
        var utf16 = [0], utf8 = [0]
        for scalar in text.unicodeScalars {
            utf16.append(utf16[utf16.count - 1] + UTF16.width(scalar))
            utf8.append(utf8[utf8.count - 1] + UTF8.width(scalar))
        }
        return (utf16, utf8)
    }

    private static func checkAgainstReference(_ text: String) throws {
        let index = TextIndex(text)
        let reference = referenceOffsets(text)
        for codePoint in 0..<reference.utf16.count {
            #expect(try index.offset(fromCodePoint: codePoint, to: .utf16) == reference.utf16[codePoint])
            #expect(try index.offset(fromCodePoint: codePoint, to: .utf8) == reference.utf8[codePoint])
            #expect(try index.codePointOffset(reference.utf16[codePoint], from: .utf16) == codePoint)
            #expect(try index.codePointOffset(reference.utf8[codePoint], from: .utf8) == codePoint)
        }
        let validUTF16 = Set(reference.utf16), validUTF8 = Set(reference.utf8)
        for offset in 0...index.utf16Count where !validUTF16.contains(offset) {
            #expect(throws: OffsetError.insideSurrogatePair(offset: offset)) { try index.codePointOffset(offset, from: .utf16) }
        }
        for offset in 0...index.utf8Count where !validUTF8.contains(offset) {
            #expect(throws: OffsetError.insideUTF8Sequence(offset: offset)) { try index.codePointOffset(offset, from: .utf8) }
        }
    }

    @Test func agreesWithTheReferenceOnRandomHazardousText() throws {
        let alphabet: [String] = ["a", " ", "\r\n", "\n", "\u{A0}", "\u{2011}", "\u{301}", "\u{200C}", "م", "😀", "👍🏽", "“", "é", "\u{10FFFF}"]
        var generator = SplitMix64(seed: 20261121)
        for _ in 0..<200 {
            let length = Int(generator.next() % 40)
            let text = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            try Self.checkAgainstReference(text)
        }
    }

    @Test(.enabled(if: TestPaths.corpus != nil, Comment(rawValue: TestPaths.corpusMissing)))
    func agreesWithTheReferenceOnTheSeedCorpus() throws {
        for file in try TestPaths.corpusFiles() {
            try Self.checkAgainstReference(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        }
    }
}
