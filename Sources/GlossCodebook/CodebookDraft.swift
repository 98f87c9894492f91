import Foundation

/// Draft codebooks in Gloss's YAML format, made from other tools' code systems (REFI-QDA, CATMA tagsets).
public enum CodebookDraft {
    /// A code id from a name: lowercase ASCII letters and digits, other characters as `_`, made unique.
    public static func uniqueID(for name: String, used: inout Set<String>) -> String {
        var slug = String(name.lowercased().unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_" })
        while slug.contains("__") { slug = slug.replacingOccurrences(of: "__", with: "_") }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        if slug.isEmpty || !(slug.unicodeScalars.first?.properties.isAlphabetic ?? false) { slug = "code_" + slug }
        var candidate = slug, number = 2
        while used.contains(candidate) {
            candidate = "\(slug)_\(number)"
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// A YAML double-quoted scalar. Besides quotes and backslashes, every character YAML may not carry raw
    /// or would fold (C0 and C1 controls, DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) is escaped, so the
    /// draft reads back as exactly the text of the `.qdc`.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(value) {
                    let hex = String(value, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// A codebook with one layer (`coding` unless named), whose required category feature `code` has the code
    /// tree `roots`, and an optional text feature for each of `textFeatures`; `comment` heads the file. With
    /// `documentLayer`, a document layer of that name codes whole texts with the same codes (a shared code list).
    public static func yaml(id: String, version: Int = 1, title: String, comment: String, layer: String = "coding", roots: [Code],
                            textFeatures: [String] = [], documentLayer: String? = nil) -> String {
        // A comment line ends at any character YAML reads as a line break (NEL, LS, PS too) or may not carry.
        let commentLines = comment.split(separator: "\n").map { line in
            "# " + String(String.UnicodeScalarView(line.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0 }))
        }
        var lines = commentLines + ["id: \(id)", "version: \(version)", "title: \(quoted(title))"]
        func emit(_ code: Code, indent: String) {
            lines.append("\(indent)- id: \(code.id)")
            lines.append("\(indent)  label: \(quoted(code.label))")
            if !code.isCodable { lines.append("\(indent)  codable: false") }
            if let color = code.color { lines.append("\(indent)  color: \(quoted(color))") }
            if let guid = code.guid { lines.append("\(indent)  guid: \(quoted(guid))") }
            if let definition = code.definition { lines.append("\(indent)  definition: \(quoted(definition))") }
            if !code.children.isEmpty {
                lines.append("\(indent)  codes:")
                for child in code.children { emit(child, indent: indent + "    ") }
            }
        }
        if let documentLayer {
            lines += ["code_lists:", "  codes:"]
            for root in roots { emit(root, indent: "    ") }
            lines += ["layers:", "  - id: \(layer)", "    label: \"Coded segment\"", "    features:",
                      "      - id: code", "        type: category", "        required: true", "        codes: codes"]
            for feature in textFeatures { lines += ["      - id: \(feature)", "        type: text"] }
            lines += ["  - id: \(documentLayer)", "    label: \"Coded document\"", "    scope: document", "    features:",
                      "      - id: code", "        type: category", "        required: true", "        codes: codes"]
            return lines.joined(separator: "\n") + "\n"
        }
        lines += ["layers:", "  - id: \(layer)", "    label: \"Coded segment\"", "    features:",
                  "      - id: code", "        type: category", "        required: true", "        codes:"]
        for root in roots { emit(root, indent: "          ") }
        for feature in textFeatures { lines += ["      - id: \(feature)", "        type: text"] }
        return lines.joined(separator: "\n") + "\n"
    }
}
