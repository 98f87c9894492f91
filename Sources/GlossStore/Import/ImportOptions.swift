import GlossCore

/// How an import treats bad records and reports what it does.
public struct ImportOptions: Sendable {
    /// Skip and report bad records instead of rejecting the whole import.
    public var skipsInvalid: Bool
    /// Accept annotations of layers that no registered codebook defines.
    public var allowsUncodedLayers: Bool
    /// Restore an export as it was: annotations keep the codebook version their records name and are not
    /// checked against it (`gloss validate` reports what breaks it, as it did in the exported project).
    public var restoresExport: Bool
    /// Store a changed text of a known document as its new revision and re-anchor its annotations, instead
    /// of refusing it.
    public var updatesDocuments: Bool
    /// Write annotations of coders on documents not assigned to them, or marked done (see `BlindCoding`).
    public var allowsUnassigned: Bool
    /// The largest lines, documents and feature values accepted.
    public var limits: InputLimits
    /// Who imports, when, and the command (e.g. `import docs`), for the audit log; the importer adds the file.
    public var context: ChangeContext
    /// Called with each bad record that was skipped (only when `skipsInvalid`).
    public var reportSkipped: @Sendable (GlossError) -> Void
    /// Called now and then with the number of records read so far.
    public var reportProgress: @Sendable (Int) -> Void

    public init(skipsInvalid: Bool = false, allowsUncodedLayers: Bool = false, restoresExport: Bool = false, updatesDocuments: Bool = false,
                allowsUnassigned: Bool = false, limits: InputLimits = .default, context: ChangeContext,
                reportSkipped: @escaping @Sendable (GlossError) -> Void = { _ in },
                reportProgress: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.skipsInvalid = skipsInvalid
        self.allowsUncodedLayers = allowsUncodedLayers
        self.restoresExport = restoresExport
        self.updatesDocuments = updatesDocuments
        self.allowsUnassigned = allowsUnassigned
        self.limits = limits
        self.context = context
        self.reportSkipped = reportSkipped
        self.reportProgress = reportProgress
    }

    /// Skips and reports `error` when allowed, or rethrows it to abort the import.
    func handle(_ error: GlossError) throws {
        guard skipsInvalid else { throw error }
        reportSkipped(error)
    }
}
