/// Names Gloss's TEI export uses, shared by the exporter and the importer.
enum TEIVocabulary {
    static let namespace = "http://www.tei-c.org/ns/1.0"
    static let application = "Gloss"
    /// `idno/@type` of the document's external id.
    static let documentIDType = "gloss-document-id"
    /// `xenoData/@type` of a registered codebook's exact YAML source.
    static let codebookSourceType = "gloss-codebook"
    /// `note/@type` of an annotation's covered text.
    static let quoteNote = "quote"
    /// `note/@type` of the reason an annotation needs recoding.
    static let recodingNote = "needs-recoding"
    /// `note/@type` of a gold annotation's provenance, as JSON.
    static let provenanceNote = "provenance"
    /// `string/@n` marking a feature value (an object or null) written as JSON.
    static let jsonString = "json"

    /// The `@target` of an annotation: TEI's string-range pointer (Guidelines §16.2.4.5) into the element
    /// with `textID`, offset and length in code points.
    static func target(textID: String, start: Int, length: Int) -> String { "#string-range(\(textID),\(start),\(length))" }
}
