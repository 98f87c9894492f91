import GlossCodebook
import GlossCore

/// Moves annotations to a later version of their codebook, applying the versions' declared migrations
/// in order: renames and merges change codes; a split leaves the code and flags the annotation for
/// recoding. One transaction; every migrated annotation gets a new revision and an audit entry, whether its
/// codes changed or not (its codebook version did).
public struct CodebookMigrator {
    public struct Report: Sendable {
        public var target: CodebookReference
        /// Annotations moved to the target version (including those flagged).
        public var migrated: [Annotation] = []
        /// Of those, the ones whose codes changed.
        public var recoded = 0
        /// Of those, the ones a split flagged for recoding by a person.
        public var flagged: [Annotation] = []
    }

    public let store: any ProjectStore

    public init(store: any ProjectStore) { self.store = store }

    /// Migrates the annotations of codebook `id` (or the only registered codebook) to `version`.
    /// With `dryRun`, reports what would change and writes nothing.
    public func migrate(codebook id: String?, to version: Int, dryRun: Bool, context: ChangeContext) throws -> Report {
        try store.write { writer in
            let registry = try writer.codebookRegistry()
            guard let codebookID = id ?? (registry.versions.count == 1 ? registry.versions.keys.first : nil) else {
                throw GlossError(.usage, registry.isEmpty ? "no codebook is registered; register one with `gloss codebook add`"
                                 : "several codebooks are registered (\(registry.versions.keys.sorted().joined(separator: ", "))); name one with --codebook")
            }
            guard let versions = registry.versions[codebookID], versions.contains(where: { $0.version == version }) else {
                throw GlossError(.badData, "\(codebookID)@\(version) is not registered; registered: \(registry.versions[codebookID]?.map { "\(codebookID)@\($0.version)" }.joined(separator: ", ") ?? "none")")
            }
            var report = Report(target: CodebookReference(id: codebookID, version: version))
            var annotations: [Annotation] = []
            try writer.forEachAnnotation(matching: AnnotationFilter()) { annotation in
                if let reference = annotation.codebook, reference.id == codebookID, reference.version < version { annotations.append(annotation) }
            }
            for original in annotations {
                var annotation = original
                for step in ((original.codebook?.version ?? version) + 1)...version {
                    guard let codebook = registry.codebook(codebookID, version: step) else {
                        throw GlossError(.badData, "\(codebookID)@\(step) is not registered, so annotations cannot move through it to version \(version)")
                    }
                    for migration in codebook.migrations where migration.layer == annotation.layer {
                        Self.apply(migration, to: &annotation, version: step)
                    }
                }
                annotation.codebook = report.target
                annotation.revision += 1
                annotation.updatedAt = context.time
                if annotation.features != original.features { report.recoded += 1 }
                if annotation.needsRecoding != nil && annotation.needsRecoding != original.needsRecoding { report.flagged.append(annotation) }
                report.migrated.append(annotation)
                if !dryRun { try writer.update(annotation, context: context) }
            }
            return report
        }
    }

    private static func apply(_ migration: Migration, to annotation: inout Annotation, version: Int) {
        guard let value = annotation.features[migration.feature] else { return }
        let codes: [String]
        switch value {
        case .string(let code): codes = [code]
        case .array(let elements): codes = elements.compactMap { if case .string(let code) = $0 { return code } else { return nil } }
        default: return
        }
        var mapped = codes
        switch migration.change {
        case .rename(let renames):
            mapped = codes.map { code in renames.first { $0.old == code }?.new ?? code }
        case .merge(let merges):
            mapped = codes.map { code in merges.first { $0.old.contains(code) }?.new ?? code }
        case .split(let splits):
            for split in splits where codes.contains(split.old) {
                let reason = "version \(version) splits \(migration.feature) '\(split.old)' into \(split.new.joined(separator: ", ")): choose one"
                annotation.needsRecoding = annotation.needsRecoding.map { $0 + "; " + reason } ?? reason
            }
        }
        var seen: Set<String> = []
        mapped = mapped.filter { seen.insert($0).inserted }
        if case .string = value, let first = mapped.first {
            annotation.features[migration.feature] = .string(first)
        } else if case .array = value {
            annotation.features[migration.feature] = .array(mapped.map(JSONValue.string))
        }
    }
}
