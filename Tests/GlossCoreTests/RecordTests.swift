import Foundation
import GlossCore
import Testing

@Suite("Native records, names and timestamps")
struct RecordTests {
    @Test func readsAMinimalAnnotationRecord() throws {
        let record = try AnnotationRecord(json: JSONParser.parse(#"{"document":"d1","coder":"alice","layer":"statement","start":2,"end":5}"#))
        #expect(record == AnnotationRecord(documentID: "d1", coder: "alice", layer: "statement", start: 2, end: 5))
        #expect(record.unit == .codepoint)
    }

    @Test(arguments: [
        (#"{"document":"d","coder":"a","layer":"l","start":1}"#, "missing required field \"end\""),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":0}"#, "lies before"),
        (#"{"document":"d","coder":"a","layer":"l","start":-1,"end":0}"#, "negative"),
        (#"{"document":"d","coder":"a","layer":"l","start":"1","end":2}"#, "\"start\" must be an integer"),
        (#"{"document":"d","coder":"a","layer":"l","start":1.5,"end":2}"#, "\"start\" must be an integer"),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":1e300}"#, "\"end\" must be an integer"),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":2,"unit":"bytes"}"#, "use codepoint, utf16 or utf8"),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":2,"feature":{}}"#, "unknown field \"feature\""),
        (#"{"document":"d","coder":" a","layer":"l","start":1,"end":2}"#, "white space"),
        (#"{"document":"d","coder":"a","layer":"two words","start":1,"end":2}"#, "layer id"),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":2,"created":"yesterday"}"#, "RFC 3339"),
        (#"[1]"#, "expected a JSON object"),
        (#"{"id":9007199254740992,"document":"d","coder":"a","layer":"l","start":1,"end":2}"#, "from 1 to 9007199254740991"),
        (#"{"id":0,"document":"d","coder":"a","layer":"l","start":1,"end":2}"#, "from 1 to"),
        (#"{"document":"d","coder":"a","layer":"l","start":1,"end":2,"features":{"x":null}}"#, "is null"),
        (#"{"document":"d","coder":"a\u200bb","layer":"l","start":1,"end":2}"#, "invisible"),
    ])
    func refusesBadAnnotationRecords(line: String, message: String) throws {
        let json = try JSONParser.parse(line)
        #expect { try AnnotationRecord(json: json) } throws: { ($0 as? RecordError)?.message.contains(message) == true }
    }

    /// JSON Schema counts 2.0 as an integer, and clients (schemathesis among them) send integers so.
    @Test func readsAWholeNumberAsAnInteger() throws {
        let line = #"{"document":"d","coder":"a","layer":"l","start":2.0,"end":5e0}"#
        let record = try AnnotationRecord(json: JSONParser.parse(line))
        #expect(record.start == 2 && record.end == 5)
    }

    @Test func derivesTheTitleFromTheFirstNonEmptyLine() {
        #expect(Document.defaultTitle(of: "\r\n  \r\n\u{A0}Russia and the Taliban \r\nBody") == "Russia and the Taliban")
        #expect(Document.defaultTitle(of: "") == "")
    }

    @Test func refusesANULCharacterInAText() {
        let record = DocumentRecord(externalID: "d", text: "ab\u{0}c")
        #expect { try record.check() } throws: { ($0 as? RecordError)?.message.contains("code point 2") == true }
    }

    @Test func formatsTimestampsInUTC() {
        // 951782400 s after the epoch is 2000-02-29T00:00:00Z (checked with Python's datetime).
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1_234_567_890.123)) == "2009-02-13T23:31:30.123Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test(arguments: [
        ("2017-02-13", true), ("2017-02", true), ("2017", true), ("2016-02-29", true), ("2017-02-29", false),
        ("2017-13-01", false), ("13.02.2017", false), ("2017-02-13T10:00:00Z", true), ("2017-02-13T10:00:00+04:30", true),
        ("2017-02-13 10:00", false),
    ])
    func checksPublicationDates(text: String, isValid: Bool) {
        #expect(Timestamp.isValidPublicationDate(text) == isValid)
    }
}
