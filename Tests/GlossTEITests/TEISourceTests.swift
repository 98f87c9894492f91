import Foundation
import GlossCore
import GlossStore
import GlossTEI
import GlossTestSupport
import Testing

@Suite("TEI from elsewhere")
struct TEISourceTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")

    static func importing(_ paths: [String], document: String? = nil) throws -> (store: SQLiteStore, report: TEIImporter.Report, folder: TemporaryDirectory) {
        let folder = try TemporaryDirectory()
        let store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
        if let document {
            _ = try DocumentImporter(store: store, options: ImportOptions(context: context)).importDocuments(from: [document])
        }
        let report = try TEIImporter(store: store, options: TEIImporter.Options(context: context)).importFiles(paths)
        return (store, report, folder)
    }

    static func source(_ name: String) -> String { TestPaths.resources.appendingPathComponent("tei/sources/\(name)").path }

    /// The code points [start, end) of `text`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(start).prefix(end - start)))
    }

    @Test func parlaMintTranscriptWithoutNotes() throws {
        let (store, report, _) = try Self.importing([Self.source("parlamint-es-ga_2016-10-21.xml")])
        #expect(report.documents == 1)
        let document = try #require(try store.read { try $0.document(externalID: "ParlaMint-ES-GA_2016-10-21-DSPG001") })
        #expect(document.url == "http://hdl.handle.net/11356/1388")
        // By hand: "Bos días." is 9 code points (í is one), then a line break between the two seg blocks.
        #expect(Self.slice(document.text, 0, 9) == "Bos días.")
        #expect(Self.slice(document.text, 9, 10) == "\n")
        #expect(Self.slice(document.text, 10, 57) == "Señorías, prégolles que ocupen os seus escanos.")
        // Speaker labels, stage directions and timestamps are notes; kinesic events are skipped too.
        #expect(!document.text.contains("O señor LETRADO OFICIAL MAIOR"))
        #expect(!document.text.contains("(O señor López Crespo e as señoras"))
        #expect(!document.text.contains("Ábrese a sesión ás once"))
        #expect(document.text.contains("Rógolles que comparezan na mesa co fin de constituír a Mesa de Idade.\nBos días a todos\n"))
        #expect(!document.text.contains("  ") && !document.text.contains("\t"))
    }

    @Test func eltecNovelWithItsTitle() throws {
        let (store, _, _) = try Self.importing([Self.source("eltec-eng18652-carroll.xml")])
        let document = try #require(try store.read { try $0.document(externalID: "ENG18652") })
        #expect(document.title == "Alice's Adventures in Wonderland : ELTeC edition")
        // By hand: "ALICE’S ADVENTURES IN WONDERLAND" is 32 code points (’ is one), a line break, then the byline.
        #expect(Self.slice(document.text, 0, 32) == "ALICE’S ADVENTURES IN WONDERLAND")
        #expect(Self.slice(document.text, 32, 50) == "\nBy Lewis Carroll\n")
        #expect(document.text.contains("All in the golden afternoon\nFull leisurely we glide;\n"))
        #expect(document.text.contains("Alice was beginning to get very tired of sitting by her sister on the bank"))
    }

    @Test(arguments: ["interop/catma-tei/rose_for_emily_user_simpleV3.xml", "interop/catma-tei/rose_for_emily_user_simple.xml"])
    func catmaCollectionOnItsSourceText(collection: String) throws {
        let text = TestPaths.resources.appendingPathComponent("interop/catma-tei/rose_for_emily.txt").path
        let (store, report, _) = try Self.importing([TestPaths.resources.appendingPathComponent(collection).path], document: text)
        #expect(report.annotations == 4 && report.codebooks == ["catma@1"])
        let annotations = try store.read { try $0.annotations() }
        // By hand, in UTF-16 units of the text without its BOM: "A Rose for Emily" (16) + CRLF CRLF (4) +
        // "When Miss Emily " (16) = 36, so "Grierson" is [36, 44).
        #expect(annotations.map { [$0.span.start, $0.span.end] } == [[36, 44], [61, 65], [181, 190], [216, 221]])
        #expect(annotations.map(\.quote) == ["Grierson", "town", "curiosity", "house"])
        #expect(annotations.map { $0.features["code"] } == [.string("tag_in_stdts"), .string("tag_in_testts"), .string("childtag_in_stdts"), .string("child_tag_in_testts")])
        #expect(annotations[0].features["myProp"] == .string("myPropValue"))
        #expect(annotations.allSatisfy { $0.codebook == CodebookReference(id: "catma", version: 1) })
    }

    /// The real collection with a property renamed `ID_number` and one colour written as CATMA 5 writes it
    /// (`<vColl><string>`): the property keeps its case and the colour is kept (-13369498 is 0x33FF66 in RGB).
    @Test func catmaPropertyCaseAndStringColoursAreKept() throws {
        let folder = try TemporaryDirectory()
        let original = try String(contentsOfFile: TestPaths.resources.appendingPathComponent(
            "interop/catma-tei/rose_for_emily_user_simpleV3.xml").path, encoding: .utf8)
        try #require(original.contains(#"name="myProp""#) && original.contains(#"<numeric value="-13369498"/>"#))
        let edited = original.replacingOccurrences(of: #"name="myProp""#, with: #"name="ID_number""#)
            .replacingOccurrences(of: #"<numeric value="-13369498"/>"#, with: "<vColl><string>-13369498</string></vColl>")
        let path = try folder.write("collection.xml", edited)
        let text = TestPaths.resources.appendingPathComponent("interop/catma-tei/rose_for_emily.txt").path
        let (store, _, _) = try Self.importing([path], document: text)
        let annotations = try store.read { try $0.annotations() }
        #expect(annotations[0].features["ID_number"] == .string("myPropValue"))
        let codebook = try #require(try store.read { try $0.registeredCodebooks() }.first)
        #expect(codebook.source.contains("id: ID_number") && codebook.source.contains("#33FF66"), "\(codebook.source)")
    }

    @Test func catmaStructureMarkupIsRefusedWithItsReason() throws {
        let text = TestPaths.resources.appendingPathComponent("interop/catma-tei/rose_for_emily.txt").path
        let structure = TestPaths.resources.appendingPathComponent("interop/catma-tei/rose_for_emily_structure.xml").path
        #expect { try Self.importing([structure], document: text) } throws: {
            ($0 as? GlossError)?.message.contains("structure markup") == true
        }
    }

    @Test func aCatmaTagDeclaredTwiceIsRefused() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("twice.xml", """
            <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc>
            <encodingDesc><fsdDecl xml:id="CATMA_set" n="Set">
              <fsDecl type="X"><fsDescr>one</fsDescr></fsDecl>
              <fsDecl type="X" baseTypes="X"><fsDescr>two</fsDescr></fsDecl>
            </fsdDecl></encodingDesc></teiHeader><text><body><ab/></body></text></TEI>
            """)
        #expect { try Self.importing([file]) } throws: { (($0 as? GlossError)?.message ?? "").contains("declares tag X twice") }
    }

    @Test func plainTextRules() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("rules.xml", """
            <?xml version='1.0' encoding='UTF-8'?>
            <?xml-model href="http://127.0.0.1:9/schema.rng"?>
            <TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="rules">
              <teiHeader><fileDesc><titleStmt><title>  Rules
                 test </title></titleStmt></fileDesc></teiHeader>
              <text>
                <body>
                  <head>Chapter <choice><abbr>I</abbr><expan>One</expan></choice></head>
                  <p>A <choice><sic>teh</sic><corr>the</corr></choice> cat<note>editorial</note>
                     sat<del>sit</del> on<lb/>the mat; hyphen-<lb break="no"/>ated.<fw type="pageNum">12</fw></p>
                  <p><w>Tokens</w> <w join="right">(</w><w>joined</w><pc join="left">)</pc><w>here</w><pc join="left">.</pc></p>
                  <ab xml:space="preserve">  kept   as is </ab>
                </body>
              </text>
            </TEI>
            """)
        let (store, _, _) = try Self.importing([file])
        let document = try #require(try store.read { try $0.document(externalID: "rules") })
        #expect(document.title == "Rules test")
        #expect(document.text == "Chapter One\nA the cat sat on\nthe mat; hyphen-ated.\nTokens (joined) here.\n  kept   as is ")
    }
}
