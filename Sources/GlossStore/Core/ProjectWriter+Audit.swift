import GlossCore

extension ProjectWriter {
    /// Deletes an annotation and records it, whole, in the audit log; refuses an unknown id (exit 65).
    @discardableResult
    public func deleteAnnotation(id: Int64, context: ChangeContext) throws -> Annotation {
        guard let annotation = try annotation(id: id) else {
            throw GlossError(.badData, "no annotation with id \(id); list ids with `gloss annotations list`")
        }
        try deleteAnnotation(id: id)
        try append(AuditEntry(at: context.time, actor: context.actor, action: .delete, entity: .annotation,
                              entityID: String(id), source: context.source, before: annotation.nativeJSONLine, after: nil))
        return annotation
    }
}
