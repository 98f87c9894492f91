import GlossCore
import Testing

@Suite("The annotated text view")
struct AnnotatedTextViewTests {
    static func annotation(_ id: Int64, _ start: Int, _ end: Int, layer: String = "l") throws -> Annotation {
        Annotation(id: id, documentID: "d", coder: "c", layer: layer, span: try TextSpan(start: start, end: end), quote: "",
                   features: [:], createdAt: "", updatedAt: "", revision: 1)
    }

    @Test func marksSpansAndPrefixesLinesWithCodePointOffsets() throws {
        // Code points: "a😀" 0–1, CR 2, LF 3, "b" 4, U+0301 5, "\t" 6, "c" 7, ZWNJ 8, "d" 9; length 10.
        let text = "a😀\r\nb\u{301}\tc\u{200C}d"
        let annotations = [try Self.annotation(1, 1, 5), try Self.annotation(2, 4, 10), try Self.annotation(3, 7, 7),
                           try Self.annotation(4, 0, 10)]
        let rendered = AnnotatedTextView(text: text, annotations: annotations).rendered()
        // By hand: the width of the largest offset (10) is 2; line 2 starts at code point 4 (after CR LF); span 1
        // ends between "b" and its combining accent (offset 5), and the empty span 3 sits before "c".
        #expect(rendered == " 0 │ [4|a[1|😀␍\n 4 │ [2|b|1]\u{301}␉[3||3]c\u{200C}d|2]|4]\n")
    }

    @Test func colourWrapsTheMarkersOnly() throws {
        let rendered = AnnotatedTextView(text: "ab", annotations: [try Self.annotation(7, 0, 1, layer: "x")]).rendered(colour: true)
        #expect(rendered == "0 │ \u{1B}[1;31m[7|\u{1B}[0ma\u{1B}[1;31m|7]\u{1B}[0mb\n")
    }
}
