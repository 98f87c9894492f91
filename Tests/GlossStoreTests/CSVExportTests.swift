import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("CSV export")
struct CSVExportTests {
    /// RFC 4180 cells of a CSV text (quoted cells may hold commas, quotes and line breaks).
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, atStart = true
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" { cell.unicodeScalars.append("\""); scalars.removeFirst() } else { quoted = false }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atStart: quoted = true; atStart = false
            case ",": row.append(cell); cell = ""; atStart = true
            case "\r": continue
            case "\n": row.append(cell); rows.append(row); row = []; cell = ""; atStart = true
            default: cell.unicodeScalars.append(scalar); atStart = false
            }
        }
        return rows
    }

    @Test(arguments: StoreKind.testable)
    func writesEveryAnnotationWithItsTextExactlyAndNeutralisesFormulas(_ store: StoreKind) throws {
        let project = try TestProject(store)
        let text = "=SUM(A1) said \"she\", then 😀\r\nnew line, and -1 more."
        try project.importDocuments([(id: "+doc", text: text)])
        let lines = [
            // "=SUM(A1)" is [0, 8); "said \"she\", then 😀\r\nnew" is [9, 32) (😀 one code point, CRLF two).
            #"{"document":"+doc","coder":"@alice","layer":"l","start":0,"end":8,"features":{"f":"-1","n":-1,"list":["a","b"],"flag":true}}"#,
            #"{"document":"+doc","coder":"bob","layer":"l","start":9,"end":32,"features":{"g":"plain"}}"#,
        ]
        try project.importAnnotations([project.folder.write("a.jsonl", lines.joined(separator: "\n") + "\n")])
        let out = project.folder.path("out.csv")
        let report = try CSVExporter(store: project.store).export(to: out)
        #expect(report.rows == 2 && report.featureColumns == ["f", "flag", "g", "list", "n"])
        let raw = try String(contentsOfFile: out, encoding: .utf8)
        #expect(raw.hasPrefix("annotation_id,document,coder,layer,start,end,quote,f,flag,g,list,n,codebook,needs_recoding\r\n"))
        let rows = Self.rows(raw)
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 14 })
        // Text cells that start like formulas carry a leading '; numbers Gloss writes are left alone.
        #expect(rows[1][1] == "'+doc" && rows[1][2] == "'@alice" && rows[1][6] == "'=SUM(A1)")
        #expect(rows[1][7] == "'-1" && rows[1][11] == "-1" && rows[1][8] == "true" && rows[1][10] == #"["a","b"]"#)
        #expect(rows[1][9] == "" && rows[2][9] == "plain")
        #expect(rows[2][4] == "9" && rows[2][5] == "32" && rows[2][6] == "said \"she\", then 😀\r\nnew")
    }

    @Test(arguments: StoreKind.testable)
    func offsetsSurviveCombiningMarksAndArabicText(_ store: StoreKind) throws {
        let project = try TestProject(store)
        // Code points: "cafe\u{301}" is [0, 5), the Persian with ZWNJ [7, 16).
        try project.importDocuments([(id: "fa", text: "cafe\u{301} «نمی\u{200C}خواهم»")])
        let lines = [#"{"document":"fa","coder":"a","layer":"l","start":0,"end":5}"#, #"{"document":"fa","coder":"a","layer":"l","start":7,"end":16}"#]
        try project.importAnnotations([project.folder.write("a.jsonl", lines.joined(separator: "\n") + "\n")])
        let out = project.folder.path("out.csv")
        try CSVExporter(store: project.store).export(to: out)
        let rows = Self.rows(try String(contentsOfFile: out, encoding: .utf8))
        #expect(rows.dropFirst().map { [$0[4], $0[5], $0[6]] } == [["0", "5", "cafe\u{301}"], ["7", "16", "نمی\u{200C}خواهم"]])
    }

    @Test(arguments: StoreKind.testable)
    func aByteOrderMarkOnlyWhenAsked(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "text")])
        let plain = project.folder.path("plain.csv"), excel = project.folder.path("excel.csv")
        try CSVExporter(store: project.store).export(to: plain)
        try CSVExporter(store: project.store, startsWithByteOrderMark: true).export(to: excel)
        // U+FEFF is EF BB BF in UTF-8; "annotation_id" starts with 61.
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: plain)).prefix(4)) == [0x61, 0x6E, 0x6E, 0x6F])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: excel)).prefix(4)) == [0xEF, 0xBB, 0xBF, 0x61])
    }
}
