/// A document's text laid out for reading offsets off the screen: each line prefixed by the code-point offset of
/// its first character, and each annotation marked inline as `[ID|` … `|ID]`.
///
/// The markers are inserted between code points and take no offset of their own, so counting code points from a
/// line's prefix still gives the stored offsets. Control characters other than the line feed are shown by their
/// Control Pictures symbol (CR as ␍, TAB as ␉), one symbol each, so that a CRLF or a tab keeps its count and does
/// not move the terminal's cursor. Everything else is printed as stored: combining marks, NBSP, ZWNJ, emoji.
public struct AnnotatedTextView: Sendable {
    /// SGR colours of the markers on a terminal, by layer in order of first appearance.
    static let colours = ["31", "32", "33", "34", "35", "36"]

    private let text: String
    private let annotations: [Annotation]

    public init(text: String, annotations: [Annotation]) {
        self.text = text
        self.annotations = annotations
    }

    /// The laid-out text. `colour` wraps the markers in ANSI colours (one per layer), for a terminal.
    public func rendered(colour: Bool = false) -> String {
        let width = String(text.unicodeScalars.count).count
        var layers: [String] = []
        for annotation in annotations where !layers.contains(annotation.layer) { layers.append(annotation.layer) }
        func marker(_ annotation: Annotation, opening: Bool) -> String {
            let mark = opening ? "[\(annotation.id)|" : "|\(annotation.id)]"
            guard colour, let index = layers.firstIndex(of: annotation.layer) else { return mark }
            return "\u{1B}[1;\(Self.colours[index % Self.colours.count])m\(mark)\u{1B}[0m"
        }
        // Openings in start order (longer spans first, so they enclose); closings in the reverse order.
        let nested = annotations.sorted { ($0.span.start, -$0.span.end, $0.id) < ($1.span.start, -$1.span.end, $1.id) }
        let opening = Dictionary(grouping: nested, by: \.span.start)
        let closing = Dictionary(grouping: nested.reversed(), by: \.span.end)
        func close(at offset: Int) -> String {
            (closing[offset] ?? []).filter { $0.span.start < offset }.map { marker($0, opening: false) }.joined()
        }
        func prefix(_ offset: Int) -> String {
            let number = String(offset)
            return String(repeating: " ", count: width - number.count) + number + " │ "
        }
        var output = prefix(0)
        var offset = 0
        for scalar in text.unicodeScalars {
            output += close(at: offset)
            for annotation in opening[offset] ?? [] {
                output += marker(annotation, opening: true)
                if annotation.span.end == offset { output += marker(annotation, opening: false) }
            }
            offset += 1
            if scalar == "\n" {
                output += "\n" + prefix(offset)
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                // Control Pictures: U+2400 + the control's value, and U+2421 for DEL.
                output.unicodeScalars.append(Unicode.Scalar(scalar.value == 0x7F ? 0x2421 : 0x2400 + scalar.value) ?? scalar)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        output += close(at: offset)
        for annotation in opening[offset] ?? [] { output += marker(annotation, opening: true) + marker(annotation, opening: false) }
        return output + "\n"
    }
}
