import Foundation
import GlossCore
import GlossIO
import GlossStore

/// brat's standoff format (brat rapid annotation tool, "Standoff format"): a `.txt` file with the text and an
/// `.ann` file beside it. Offsets count characters (code points), end exclusive.
///
/// - `T` text-bound annotations, discontinuous ones as `start end;start end`, with the covered text (the
///   pieces joined by a space), which is checked;
/// - `A` and `M` attributes: without a value a yes/no attribute, else a text value;
/// - `R` relations (`Arg1`, `Arg2`) and `*` equivalences (each later member from the first), as relations;
/// - `E` events: the trigger is its `T` span; each argument becomes a relation of type `EVENT:ROLE` from the
///   trigger, and an event without arguments the text attribute `_event` (its type; several separated by
///   spaces) of the trigger; attributes,
///   notes and relations of an event go to its trigger (so two events of one type on one trigger come back as
///   one);
/// - `#` notes as the text attribute `AnnotatorNotes` of a span, or the note of a relation, one line each; a note of
///   another type (`#1 Lemma T3 …`), or one whose text holds a tab, is kept as `TYPE<TAB>TEXT` and goes out as it came;
/// - `N` normalizations as the text attribute `Normalization` (`TYPE RID:EID<TAB>TEXT`).
///
/// `annotation.conf` in the folder declares entity, event, relation and attribute types; they go into the draft
/// codebook whether used or not.
public enum BratFormat {
    public static let textAttributes: Set = ["AnnotatorNotes", "Normalization", eventAttribute]
    /// The attribute of a trigger that marks an event without arguments, with the event's type.
    public static let eventAttribute = "_event"

    /// The document of `txt` and the `.ann` beside it (`ann` when given), named after the file. The text must lie
    /// in the folder of the `.ann` (a symbolic link out of it is refused).
    public static func read(text txt: String, annotations ann: String) throws -> InterchangeDocument {
        let folder = (ann as NSString).deletingLastPathComponent
        return try read(text: try InputFile(path: txt, confinedTo: folder).text, id: ((txt as NSString).lastPathComponent as NSString).deletingPathExtension, annotations: try InputFile(path: ann))
    }

    /// The document `id` with `text`, annotated by `file` (an `.ann`).
    public static func read(text: String, id: String, annotations file: InputFile) throws -> InterchangeDocument {
        let ann = file.path
        var document = InterchangeDocument(id: id, text: text, location: SourceLocation(file: ann))
        let scalarCount = text.unicodeScalars.count
        let scalars = Array(text.unicodeScalars)
        var eventTriggers: [String: String] = [:]
        var spanIndex: [String: Int] = [:]
        var relationIndex: [String: Int] = [:]
        var pendingLines: [(line: Int, fields: [Substring])] = []
        var argumentlessEvents: [(line: Int, type: String, trigger: String)] = []
        for (number, line) in Self.lines(file.text).enumerated() {
            guard !line.isEmpty else { continue }
            let location = SourceLocation(file: ann, line: number + 1)
            func fail(_ message: String) -> GlossError { GlossError(.badData, message, at: location) }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2, let kind = fields[0].first else { throw fail("a brat line is ID<TAB>ANNOTATION[<TAB>TEXT]") }
            switch kind {
            case "T":
                let parts = fields[1].split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { throw fail("a text-bound annotation is LABEL START END[;START END…]") }
                var pieces: [(Int, Int)] = []
                for range in parts[1].split(separator: ";") {
                    let numbers = range.split(separator: " ").map { Int($0) }
                    guard numbers.count == 2, let start = numbers[0], let end = numbers[1], 0 <= start, start <= end, end <= scalarCount else {
                        throw fail("the range \"\(range)\" is not START END within the text's \(scalarCount) characters")
                    }
                    pieces.append((start, end))
                }
                // Fragments apart only by line breaks are one span that crossed them (see `lineFragments`).
                pieces = Self.joiningLineBreaks(pieces, in: scalars)
                guard let first = pieces.first else { throw fail("a text-bound annotation needs at least one START END range") }
                // brat writes line breaks inside the covered text as spaces.
                var recorded = fields.count > 2 ? String(fields[2]) : nil
                if pieces.count == 1, let shown = recorded {
                    let covered = String(String.UnicodeScalarView(scalars[first.0..<first.1]))
                    if shown != covered && (shown == Self.shown(covered) || shown == covered.replacingOccurrences(of: "\n", with: " ")) {
                        recorded = covered
                    }
                }
                guard spanIndex[String(fields[0])] == nil else { throw fail("\(fields[0]) is defined twice") }
                spanIndex[String(fields[0])] = document.spans.count
                document.spans.append(InterchangeSpan(key: String(fields[0]), label: String(parts[0]), start: first.0, end: first.1,
                                                      text: recorded, fragments: Array(pieces.dropFirst()), line: number + 1))
            case "E":
                let arguments = fields[1].split(separator: " ")
                guard let trigger = arguments.first, let colon = trigger.lastIndex(of: ":") else { throw fail("an event is TYPE:TRIGGER ROLE:ID…") }
                let type = String(trigger[..<colon]), triggerID = String(trigger[trigger.index(after: colon)...])
                eventTriggers[String(fields[0])] = triggerID
                if arguments.count == 1 { argumentlessEvents.append((number + 1, type, triggerID)) }
                for (position, argument) in arguments.dropFirst().enumerated() {
                    guard let split = argument.lastIndex(of: ":") else { throw fail("an event argument is ROLE:ID") }
                    document.relations.append(InterchangeRelation(key: "\(fields[0])-\(position)", type: "\(type):\(argument[..<split])", from: triggerID,
                                                                  to: String(argument[argument.index(after: split)...]), line: number + 1))
                }
            case "R":
                let arguments = fields[1].split(separator: " ")
                guard arguments.count == 3, arguments[1].hasPrefix("Arg1:"), arguments[2].hasPrefix("Arg2:") else { throw fail("a relation is TYPE Arg1:ID Arg2:ID") }
                relationIndex[String(fields[0])] = document.relations.count
                document.relations.append(InterchangeRelation(key: String(fields[0]), type: String(arguments[0]), from: String(arguments[1].dropFirst(5)),
                                                              to: String(arguments[2].dropFirst(5)), line: number + 1))
            case "*":
                let members = fields[1].split(separator: " ")
                guard members.count >= 3 else { throw fail("an equivalence is TYPE ID ID…") }
                for (position, member) in members.dropFirst(2).enumerated() {
                    document.relations.append(InterchangeRelation(key: "*\(number)-\(position)", type: String(members[0]), from: String(members[1]), to: String(member),
                                                                  line: number + 1))
                }
            case "A", "M", "#", "N":
                pendingLines.append((number + 1, fields))  // after every span and relation is known
            default:
                throw fail("\"\(fields[0])\" is not a brat annotation id (T, R, E, A, M, N, # or *)")
            }
        }
        for event in argumentlessEvents {
            guard let index = spanIndex[event.trigger] else {
                throw GlossError(.badData, "the event's trigger \(event.trigger) is not a text-bound annotation of this file", at: SourceLocation(file: ann, line: event.line))
            }
            // Several events without arguments on one trigger: their types, separated by spaces (a brat type has none).
            if case .string(let types)? = document.spans[index].attributes[eventAttribute] {
                document.spans[index].attributes[eventAttribute] = .string(types + " " + event.type)
            } else {
                document.spans[index].attributes[eventAttribute] = .string(event.type)
            }
        }
        for (line, fields) in pendingLines {
            let location = SourceLocation(file: ann, line: line)
            func fail(_ message: String) -> GlossError { GlossError(.badData, message, at: location) }
            let parts = fields[1].split(separator: " ", maxSplits: 2)
            guard parts.count >= 2 else { throw fail("\(fields[0]) names no annotation") }
            var target = String(parts[1])
            if let trigger = eventTriggers[target] { target = trigger }
            switch fields[0].first {
            case "#":
                let text = fields.count > 2 ? String(fields[2]) : ""
                let note = parts[0] == "AnnotatorNotes" && !text.contains("\t") ? text : "\(parts[0])\t\(text)"
                if let index = spanIndex[target] {
                    document.spans[index].attributes["AnnotatorNotes"] = .string(Self.joined(document.spans[index].attributes["AnnotatorNotes"], note))
                } else if let index = relationIndex[target] {
                    document.relations[index].note = document.relations[index].note.map { $0 + "\n" + note } ?? note
                } else {
                    throw fail("the note is on \(target), which is not a text-bound annotation, event or relation of this file")
                }
            case "N":
                guard let index = spanIndex[target], parts.count == 3 else { throw fail("a normalization is TYPE ID RID:EID<TAB>TEXT on a text-bound annotation") }
                document.spans[index].attributes["Normalization"] = .string(Self.joined(document.spans[index].attributes["Normalization"],
                                                                                        "\(parts[0]) \(parts[2])" + (fields.count > 2 ? "\t\(fields[2])" : "")))
            default:
                guard let index = spanIndex[target] else { throw fail("attribute \(parts[0]) is on \(target); Gloss keeps attributes of text-bound annotations and events") }
                document.spans[index].attributes[String(parts[0])] = parts.count == 3 ? .string(String(parts[2])) : .bool(true)
            }
        }
        // A relation or event argument may point at an event: it then points at the event's trigger.
        for index in document.relations.indices {
            if let trigger = eventTriggers[document.relations[index].from] { document.relations[index].from = trigger }
            if let trigger = eventTriggers[document.relations[index].to] { document.relations[index].to = trigger }
            let relation = document.relations[index]
            if spanIndex[relation.from] == nil || spanIndex[relation.to] == nil {
                throw GlossError(.badData, "relation \(relation.key) (\(relation.type)) links \(relation.from) and \(relation.to), not both text-bound annotations or events of this file",
                                 at: SourceLocation(file: ann, line: relation.line))
            }
        }
        return document
    }

    /// The lines of a text, split at LF with a CR before it dropped (Swift treats CRLF as one Character, so the
    /// split is on scalars).
    static func lines(_ text: String) -> [Substring] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
    }

    /// The `#` line of a stored note: `TYPE<TAB>TEXT` keeps its type, any other is an `AnnotatorNotes`.
    private static func noteLine(_ number: Int, target: String, _ note: Substring) -> String {
        if let tab = note.firstIndex(of: "\t") {
            return "#\(number)\t\(note[..<tab]) \(target)\t\(note[note.index(after: tab)...])"
        }
        return "#\(number)\tAnnotatorNotes \(target)\t\(note)"
    }

    /// A second note or normalization of one span goes on a line of its own.
    private static func joined(_ earlier: JSONValue?, _ next: String) -> String {
        if case .string(let text)? = earlier { return text + "\n" + next }
        return next
    }

    /// The types `annotation.conf` declares: entities and events (as labels), relations, and attributes with
    /// their values.
    public static func vocabulary(conf path: String) throws -> InterchangeVocabulary {
        var vocabulary = InterchangeVocabulary()
        vocabulary.textAttributes = textAttributes
        var section = ""
        let folder = (path as NSString).deletingLastPathComponent
        for rawLine in Self.lines(try InputFile(path: path, confinedTo: folder).text) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("["), line.hasSuffix("]") { section = String(line.dropFirst().dropLast()); continue }
            guard let name = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init),
                  !name.hasPrefix("<"), !name.hasPrefix("!") else { continue }  // macros and grouping-only types
            switch section {
            case "entities", "events": vocabulary.labels.append(name)
            case "relations": vocabulary.relationTypes.append(name)
            case "attributes":
                let values = line.range(of: "Value:").map { String(line[$0.upperBound...]).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
                vocabulary.attributes.append((name, values))
            default: continue
            }
        }
        return vocabulary
    }

    /// Moves every attribute value with white space into its span's notes as `NAME: VALUE`, as a brat attribute
    /// value is one word; returns how many moved.
    public static func moveSpacedValuesToNotes(_ document: inout InterchangeDocument) -> Int {
        var moved = 0
        for index in document.spans.indices {
            for (name, value) in document.spans[index].attributes.sorted(by: { $0.key < $1.key }) where !textAttributes.contains(name) {
                guard case .string(let text) = value, text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { continue }
                document.spans[index].attributes["AnnotatorNotes"] = .string(joined(document.spans[index].attributes["AnnotatorNotes"], "\(name): \(text)"))
                document.spans[index].attributes[name] = nil
                moved += 1
            }
        }
        return moved
    }

    /// An `annotation.conf` declaring what `documents` use, so that brat (its UI and `verify_annotations.py`) knows
    /// every type: span labels as entity types (and `labels`, such as every code of the exported feature, so that a
    /// coder can pick any of them in brat), event types with the roles and argument types their `EVENT:ROLE`
    /// relations have, relation types with the types of their two arguments, and attributes with the types they
    /// sit on and their values (none for a yes/no attribute). Names brat cannot hold (white space) are left out.
    public static func configuration(for documents: [InterchangeDocument], labels: [String] = []) -> String {
        func isName(_ text: String) -> Bool { !text.isEmpty && !text.unicodeScalars.contains { $0.properties.isWhitespace } }
        var entities = Set(labels.filter(isName))
        var events: [String: [String: Set<String>]] = [:]
        var relations: [String: (first: Set<String>, second: Set<String>)] = [:]
        var attributes: [String: (on: Set<String>, values: Set<String>)] = [:]
        for document in documents {
            var labelOf: [String: String] = [:]
            for span in document.spans { labelOf[span.key] = span.label }
            var triggers: Set<String> = []
            for relation in document.relations {
                guard let from = labelOf[relation.from], let to = labelOf[relation.to] else { continue }
                if let colon = relation.type.firstIndex(of: ":"), from == String(relation.type[..<colon]) {
                    triggers.insert(relation.from)
                    events[from, default: [:]][String(relation.type[relation.type.index(after: colon)...]), default: []]
                        .insert(to)
                } else {
                    relations[relation.type, default: ([], [])].first.insert(from)
                    relations[relation.type, default: ([], [])].second.insert(to)
                }
            }
            for span in document.spans {
                if case .string(let types)? = span.attributes[eventAttribute] {
                    for type in types.split(separator: " ") where events[String(type)] == nil { events[String(type)] = [:] }
                    triggers.insert(span.key)
                }
                if !triggers.contains(span.key) { entities.insert(span.label) }
                for (name, value) in span.attributes where !textAttributes.contains(name) {
                    attributes[name, default: ([], [])].on.insert(span.label)
                    if case .string(let text) = value { attributes[name, default: ([], [])].values.insert(text) }
                }
            }
        }
        entities.subtract(events.keys)
        func types(_ names: Set<String>) -> String { names.filter(isName).sorted().joined(separator: "|") }
        var lines = ["# The types these brat files use, written by Gloss.", "[entities]"]
        lines += entities.filter(isName).sorted()
        lines += ["", "[relations]"]
        for (type, arguments) in relations.sorted(by: { $0.key < $1.key }) where isName(type) {
            lines.append("\(type)\tArg1:\(types(arguments.first)), Arg2:\(types(arguments.second))")
        }
        lines += ["", "[events]"]
        for (type, roles) in events.sorted(by: { $0.key < $1.key }) where isName(type) {
            let arguments = roles.sorted { $0.key < $1.key }.filter { isName($0.key) }.map { "\($0.key):\(types($0.value))" }
            lines.append(type + (arguments.isEmpty ? "" : "\t" + arguments.joined(separator: ", ")))
        }
        lines += ["", "[attributes]"]
        for (name, attribute) in attributes.sorted(by: { $0.key < $1.key }) where isName(name) && name != eventAttribute {
            let values = attribute.values.filter(isName).sorted()
            lines.append("\(name)\tArg:\(types(attribute.on))" + (values.isEmpty ? "" : ", Value:" + values.joined(separator: "|")))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether brat's reader ends a line at this character: it reads a text line by line, at LF and at CR.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool { scalar == "\n" || scalar == "\r" }

    /// The pieces of a span cut at line breaks, the breaks left out, as brat's own annotator writes a span over
    /// several lines (`T1 span 6 16;17 30`): brat checks each line's text, so a piece may not cross one. A piece that
    /// holds nothing but line breaks is kept whole, as there is nothing else to write.
    static func lineFragments(_ pieces: [(Int, Int)], in scalars: [Unicode.Scalar]) -> [(Int, Int)] {
        pieces.flatMap { piece -> [(Int, Int)] in
            var cut: [(Int, Int)] = []
            var start = piece.0
            for index in piece.0..<piece.1 where isLineBreak(scalars[index]) {
                if start < index { cut.append((start, index)) }
                start = index + 1
            }
            if start < piece.1 { cut.append((start, piece.1)) }
            return cut.isEmpty ? [piece] : cut
        }
    }

    /// Consecutive pieces whose gap holds only line breaks, joined into one (the inverse of `lineFragments`).
    static func joiningLineBreaks(_ pieces: [(Int, Int)], in scalars: [Unicode.Scalar]) -> [(Int, Int)] {
        var joined: [(Int, Int)] = []
        for piece in pieces {
            if let last = joined.last, last.1 < piece.0, piece.0 <= scalars.count,
               scalars[last.1..<piece.0].allSatisfy(isLineBreak) {
                joined[joined.count - 1].1 = piece.1
            } else {
                joined.append(piece)
            }
        }
        return joined
    }

    /// A covered text as a `T` line shows it: each run of line breaks as one space.
    static func shown(_ covered: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasBreak = false
        for scalar in covered.unicodeScalars {
            if isLineBreak(scalar) {
                if !previousWasBreak { result.append(" ") }
                previousWasBreak = true
            } else {
                result.append(scalar)
                previousWasBreak = false
            }
        }
        return String(result)
    }

    /// The `.ann` of a document: T, then A/N/# of spans, then R, * and E (events rebuilt from `EVENT:ROLE`
    /// relations whose source carries the event type as its label).
    public static func annotations(_ document: InterchangeDocument) -> String {
        var lines: [String] = []
        var ids: [String: String] = [:]
        let scalars = Array(document.text.unicodeScalars)
        for (number, span) in document.spans.enumerated() {
            let id = "T\(number + 1)"
            ids[span.key] = id
            let pieces = lineFragments([(span.start, span.end)] + span.fragments, in: scalars)
            let covered = pieces.map { String(String.UnicodeScalarView(scalars[$0.0..<$0.1])) }
            lines.append("\(id)\t\(span.label) " + pieces.map { "\($0.0) \($0.1)" }.joined(separator: ";") + "\t"
                         + Self.shown(covered.joined(separator: " ")))
        }
        var attributeNumber = 0, noteNumber = 0, normalizationNumber = 0
        for span in document.spans {
            guard let id = ids[span.key] else { continue }
            for (name, value) in span.attributes.sorted(by: { $0.key < $1.key }) {
                switch (name, value) {
                case ("AnnotatorNotes", .string(let notes)):
                    for note in notes.split(separator: "\n", omittingEmptySubsequences: false) {
                        noteNumber += 1
                        lines.append(Self.noteLine(noteNumber, target: id, note))
                    }
                case ("Normalization", .string(let normalizations)):
                    for normalization in normalizations.split(separator: "\n") {
                        normalizationNumber += 1
                        let parts = normalization.split(separator: " ", maxSplits: 1)
                        lines.append("N\(normalizationNumber)\t\(parts.first ?? "Reference") \(id) \(parts.count > 1 ? parts[1] : "")")
                    }
                case (eventAttribute, _): continue
                case (_, .bool(true)): attributeNumber += 1; lines.append("A\(attributeNumber)\t\(name) \(id)")
                case (_, .string(let text)):
                    attributeNumber += 1
                    lines.append("A\(attributeNumber)\t\(name) \(id) " + text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " "))
                default: continue
                }
            }
        }
        var relationNumber = 0, eventNumber = 0
        var events: [String: [String]] = [:]
        var eventOrder: [String] = []
        for relation in document.relations {
            guard let from = ids[relation.from], let to = ids[relation.to] else { continue }
            if let colon = relation.type.firstIndex(of: ":"), document.spans.first(where: { $0.key == relation.from })?.label == String(relation.type[..<colon]) {
                let event = "\(relation.type[..<colon]):\(from)"
                if events[event] == nil { eventOrder.append(event) }
                events[event, default: []].append("\(relation.type[relation.type.index(after: colon)...]):\(to)")
                continue
            }
            relationNumber += 1
            lines.append("R\(relationNumber)\t\(relation.type) Arg1:\(from) Arg2:\(to)\t")
            for note in relation.note.map({ $0.split(separator: "\n", omittingEmptySubsequences: false) }) ?? [] {
                noteNumber += 1
                lines.append(Self.noteLine(noteNumber, target: "R\(relationNumber)", note))
            }
        }
        for span in document.spans {
            guard case .string(let types)? = span.attributes[eventAttribute], let id = ids[span.key] else { continue }
            for type in types.split(separator: " ") where events["\(type):\(id)"] == nil && !eventOrder.contains("\(type):\(id)") {
                eventOrder.append("\(type):\(id)")
            }
        }
        for event in eventOrder {
            eventNumber += 1
            lines.append((["E\(eventNumber)\t\(event)"] + (events[event] ?? [])).joined(separator: " "))
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}
