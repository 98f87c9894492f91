import Foundation
import GlossCore
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("brat")
struct BratTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")
    static let folder = TestPaths.resources.appendingPathComponent("interop/brat")
    static let names = ["bionlp-epi-PMID-17709377", "conll2002-es-doc-29", "news-000-introduction", "news-110-note_annotation"]

    static func importing(_ folder: String, names: [String], into store: SQLiteStore) throws -> InterchangeImporter.Report {
        let documents = try names.map { name in
            try BratFormat.read(text: (folder as NSString).appendingPathComponent(name + ".txt"), annotations: (folder as NSString).appendingPathComponent(name + ".ann"))
        }
        var vocabulary = InterchangeVocabulary()
        vocabulary.textAttributes = BratFormat.textAttributes
        let conf = (folder as NSString).appendingPathComponent("news-annotation.conf")
        if FileManager.default.fileExists(atPath: conf) { vocabulary = try BratFormat.vocabulary(conf: conf) }
        return try InterchangeImporter(store: store, format: "brat", coder: "brat", context: context).importDocuments(documents, vocabulary: vocabulary)
    }

    /// The T lines of an .ann file without their ids: label, ranges and covered text.
    static func textBound(_ ann: String) -> [String] {
        ann.split(separator: "\n").filter { $0.hasPrefix("T") }.map { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) ?? "" }.sorted()
    }

    @Test func importsEveryInteropFileAndGivesBackItsSpans() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let report = try Self.importing(Self.folder.path, names: Self.names, into: store)
        // T lines: 20 + 13 + 7 + 14 = 54. Relations: 2 (equivalence T2–T3, T2–T4) + 1 (event argument) + 2 R + 4 event
        // arguments + 2 R + 3 + 3 event arguments = 17.
        #expect(report.documents == 4 && report.annotations == 54 && report.relations == 17)
        let documents = try InterchangeExporter(store: store, format: "brat").documents()
        for (name, document) in zip(Self.names, documents) {
            let original = try String(contentsOf: Self.folder.appendingPathComponent(name + ".ann"), encoding: .utf8)
            #expect(Self.textBound(BratFormat.annotations(document)) == Self.textBound(original), "\(name)")
        }
        // The note and the normalization come back (news-000-introduction).
        let news = BratFormat.annotations(documents[2])
        #expect(news.contains("AnnotatorNotes T2\t100000000 USD") && news.contains("\tReference T5 Wikipedia:64488\tCarlos Salinas de Gortari"))
        #expect(news.contains("E1\tTransfer-money:T3 Giver-Arg:T1 Money-Arg:T2 Beneficiary-Arg:T4 Recipient-Arg:T6"))
    }

    /// The real news-110 sample with its relation note, and two notes of other types added (one on a span, one on
    /// the relation), come back with their types; an AnnotatorNotes text with a tab keeps it.
    @Test func noteTypesComeBack() throws {
        let work = try TemporaryDirectory()
        let name = "news-110-note_annotation"
        try FileManager.default.copyItem(atPath: Self.folder.appendingPathComponent(name + ".txt").path, toPath: work.path(name + ".txt"))
        let original = try String(contentsOf: Self.folder.appendingPathComponent(name + ".ann"), encoding: .utf8)
        try (original + "#4\tLemma T2\tyoutube\n#5\tComment R1\tsiblings\n#6\tAnnotatorNotes T6\ttab\there\n")
            .write(toFile: work.path(name + ".ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing(work.url.path, names: [name], into: store)
        let exported = BratFormat.annotations(try InterchangeExporter(store: store, format: "brat").documents()[0])
        #expect(exported.contains("\tLemma T2\tyoutube\n"), "\(exported)")
        #expect(exported.contains("\tComment R1\tsiblings\n") && exported.contains("\tAnnotatorNotes R1\tShould this be marked?"))
        #expect(exported.contains("\tAnnotatorNotes T6\ttab\there\n") && exported.contains("\tAnnotatorNotes T1\tShould fictional places"))
    }

    @Test func exportImportExportIsExact() throws {
        let work = try TemporaryDirectory()
        let first = try SQLiteStore(path: work.path("first.sqlite"), creating: true)
        _ = try Self.importing(Self.folder.path, names: Self.names, into: first)
        let exported = try InterchangeExporter(store: first, format: "brat").documents()
        let out = work.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for document in exported {
            try document.text.write(toFile: (out as NSString).appendingPathComponent(document.id + ".txt"), atomically: true, encoding: .utf8)
            try BratFormat.annotations(document).write(toFile: (out as NSString).appendingPathComponent(document.id + ".ann"), atomically: true, encoding: .utf8)
        }
        let second = try SQLiteStore(path: work.path("second.sqlite"), creating: true)
        _ = try Self.importing(out, names: Self.names, into: second)
        let again = try InterchangeExporter(store: second, format: "brat").documents()
        #expect(again.map(BratFormat.annotations) == exported.map(BratFormat.annotations))
        #expect(again.map(\.text) == exported.map(\.text))
    }

    @Test func offsetsSurviveAstralCombiningAndArabicTextAndDiscontinuousSpans() throws {
        let work = try TemporaryDirectory()
        // Code points: "😀" is [6, 7), "cafe\u{301}" [13, 18), "نمی\u{200C}خواهم" [21, 30); a discontinuous span [0, 5);[13, 18).
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» end"
        try text.write(toFile: work.path("h.txt"), atomically: true, encoding: .utf8)
        try """
            T1\tPerson 0 5;13 18\tAhmad cafe\u{301}
            T2\tEmoji 6 7\t😀
            T3\tQuote 21 30\tنمی\u{200C}خواهم
            R1\tLinked Arg1:T2 Arg2:T3\t
            A1\tNegated T3

            """.write(toFile: work.path("h.ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing(work.path(""), names: ["h"], into: store)
        let quotes = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "brat")).map(\.quote) }
        #expect(quotes == ["Ahmad", "cafe\u{301}", "😀", "نمی\u{200C}خواهم"])
        let ann = BratFormat.annotations(try #require(try InterchangeExporter(store: store, format: "brat").documents().first))
        #expect(ann == "T1\tPerson 0 5;13 18\tAhmad cafe\u{301}\nT2\tEmoji 6 7\t😀\nT3\tQuote 21 30\tنمی\u{200C}خواهم\nA1\tNegated T3\nR1\tLinked Arg1:T2 Arg2:T3\t\n")
    }

    /// brat reads a text line by line (at LF and at CR) and checks each span's text on its line, so a span over a line
    /// break goes out as brat's annotator writes it: fragments cut at the breaks, the text joined by a space. By hand:
    /// "Kabul said\r\nno.\nMoscow\n\nagreed" has the CRLF at [10, 12), LF at 15 and 22, 23; the span [6, 18) becomes
    /// 6 10;12 15;16 18 and [16, 30) becomes 16 22;24 30.
    @Test func aSpanOverLineBreaksGoesOutInFragmentsAndComesBackWhole() throws {
        let work = try TemporaryDirectory()
        let text = "Kabul said\r\nno.\nMoscow\n\nagreed"
        try text.write(toFile: work.path("l.txt"), atomically: true, encoding: .utf8)
        try "T1\tQuote 6 18\tsaid no. Mo\nT2\tQuote 16 30\tMoscow agreed\n"
            .write(toFile: work.path("l.ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing(work.path(""), names: ["l"], into: store)
        let spans = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "brat")).map(\.span) }
        #expect(spans == [try TextSpan(start: 6, end: 18), try TextSpan(start: 16, end: 30)])
        let ann = BratFormat.annotations(try #require(try InterchangeExporter(store: store, format: "brat").documents().first))
        #expect(ann == "T1\tQuote 6 10;12 15;16 18\tsaid no. Mo\nT2\tQuote 16 22;24 30\tMoscow agreed\n")
        // What brat's reader checks: no fragment holds a line break, and the fragments' texts joined by a space are the
        // text on the line.
        let scalars = Array(text.unicodeScalars)
        for line in ann.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            let ranges = fields[1].split(separator: " ", maxSplits: 1)[1].split(separator: ";").map {
                $0.split(separator: " ").compactMap { Int($0) }
            }
            let pieces = ranges.map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
            #expect(pieces.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
            #expect(pieces.joined(separator: " ") == String(fields[2]))
        }
        // The fragments come back as the one span they were.
        try ann.write(toFile: work.path("l.ann"), atomically: true, encoding: .utf8)
        let again = try SQLiteStore(path: work.path("again.sqlite"), creating: true)
        _ = try Self.importing(work.path(""), names: ["l"], into: again)
        #expect(try again.read { try $0.annotations(matching: AnnotationFilter(layer: "brat")).map(\.span) } == spans)
    }

    /// The annotation.conf written with an export declares everything its .ann files use, as brat's
    /// `verify_annotations.py` checks it: each T type among the entities or events, each R type among the relations
    /// with its two arguments' types allowed, each E type among the events with its roles, each A name among the
    /// attributes, on that type, with that value.
    @Test func theConfigurationDeclaresEveryTypeTheFilesUse() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing(Self.folder.path, names: Self.names, into: store)
        let documents = try InterchangeExporter(store: store, format: "brat").documents()
        var sections: [String: [String: String]] = [:]
        var section = ""
        for line in BratFormat.configuration(for: documents).split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()); continue }
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            sections[section, default: [:]][fields[0]] = fields.count > 1 ? fields[1] : ""
        }
        func allowed(_ list: String, _ key: String) -> [String] {
            list.components(separatedBy: ", ").first { $0.hasPrefix(key + ":") }
                .map { $0.dropFirst(key.count + 1).split(separator: "|").map(String.init) } ?? []
        }
        var checked = 0
        for document in documents {
            var typeOf: [String: String] = [:]
            for line in BratFormat.annotations(document).split(separator: "\n") {
                let fields = line.split(separator: "\t").map(String.init)
                let parts = fields[1].split(separator: " ").map(String.init)
                switch fields[0].first {
                case "T":
                    typeOf[fields[0]] = parts[0]
                    #expect(sections["entities"]?[parts[0]] != nil || sections["events"]?[parts[0]] != nil, "\(line)")
                case "R":
                    let declared = try #require(sections["relations"]?[parts[0]], "\(line)")
                    #expect(allowed(declared, "Arg1").contains(typeOf[String(parts[1].dropFirst(5))] ?? ""), "\(line)")
                    #expect(allowed(declared, "Arg2").contains(typeOf[String(parts[2].dropFirst(5))] ?? ""), "\(line)")
                case "E":
                    let type = String(parts[0].split(separator: ":")[0])
                    let declared = try #require(sections["events"]?[type], "\(line)")
                    for argument in parts.dropFirst() {
                        let pieces = argument.split(separator: ":").map(String.init)
                        #expect(allowed(declared, pieces[0]).contains(typeOf[pieces[1]] ?? ""), "\(line)")
                    }
                case "A":
                    let declared = try #require(sections["attributes"]?[parts[0]], "\(line)")
                    #expect(allowed(declared, "Arg").contains(typeOf[parts[1]] ?? ""), "\(line)")
                    if parts.count > 2 { #expect(allowed(declared, "Value").contains(parts[2]), "\(line)") }
                default: continue
                }
                checked += 1
            }
        }
        // The four .ann files hold 67 T, R, E, A and M lines (grep); the export writes at least as many.
        #expect(checked >= 67, "checked \(checked) lines")
    }

    @Test func anEventWithoutArgumentsComesBack() throws {
        let work = try TemporaryDirectory()
        try "Rebels attacked. Talks began.".write(toFile: work.path("e.txt"), atomically: true, encoding: .utf8)
        try "T1\tAttack 7 15\tattacked\nT2\tTalks 17 22\tTalks\nE1\tAttack:T1\nA1\tNegated E1\nE2\tTalks:T2 Topic:T1\nE3\tDie:T1\n"
            .write(toFile: work.path("e.ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing(work.path(""), names: ["e"], into: store)
        let ann = BratFormat.annotations(try #require(try InterchangeExporter(store: store, format: "brat").documents().first))
        #expect(ann == "T1\tAttack 7 15\tattacked\nT2\tTalks 17 22\tTalks\nA1\tNegated T1\nE1\tTalks:T2 Topic:T1\nE2\tAttack:T1\nE3\tDie:T1\n")
    }

    @Test func identicalTLinesStayTwo() throws {
        let work = try TemporaryDirectory()
        try "one two".write(toFile: work.path("d.txt"), atomically: true, encoding: .utf8)
        try "T1\tX 0 3\tone\nT2\tX 0 3\tone\nR1\tr Arg1:T2 Arg2:T1\t\n".write(toFile: work.path("d.ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        #expect(try Self.importing(work.path(""), names: ["d"], into: store).annotations == 2)
        #expect(try Self.importing(work.path(""), names: ["d"], into: store).annotations == 0)
        let ann = BratFormat.annotations(try #require(try InterchangeExporter(store: store, format: "brat").documents().first))
        #expect(ann == "T1\tX 0 3\tone\nT2\tX 0 3\tone\nR1\tr Arg1:T2 Arg2:T1\t\n")
    }

    @Test func refusesACoveredTextThatDoesNotMatch() throws {
        let work = try TemporaryDirectory()
        try "one two".write(toFile: work.path("m.txt"), atomically: true, encoding: .utf8)
        try "T1\tX 0 3\tone\nT2\tX 4 7\tTWO\n".write(toFile: work.path("m.ann"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        #expect { try Self.importing(work.path(""), names: ["m"], into: store) } throws: { (($0 as? GlossError)?.message ?? "").contains("does not match") }
        #expect(try store.read { try $0.documentSummaries() }.isEmpty)
    }
}
