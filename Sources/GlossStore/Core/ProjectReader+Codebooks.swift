import GlossCodebook
import GlossCore

extension ProjectReader {
    /// The registered codebooks, parsed.
    public func codebookRegistry() throws -> CodebookRegistry {
        let codebooks = try registeredCodebooks().map { stored in
            do throws(CodebookError) {
                return try Codebook.parse(stored.source, file: "\(stored.id)@\(stored.version)")
            } catch {
                throw GlossError(.badData, "the registered codebook \(stored.id)@\(stored.version) no longer reads: \(error.problems.first?.description ?? "")")
            }
        }
        return CodebookRegistry(codebooks)
    }
}
