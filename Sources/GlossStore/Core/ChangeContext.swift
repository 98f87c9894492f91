/// Who is making a change, when, and through which command: stamped on every audit entry.
public struct ChangeContext: Sendable, Equatable {
    public var actor: String
    public var time: String
    public var source: String

    public init(actor: String, time: String, source: String) {
        self.actor = actor
        self.time = time
        self.source = source
    }
}
