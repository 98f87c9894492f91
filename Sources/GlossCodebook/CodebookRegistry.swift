/// The registered codebooks: which codebook version governs each layer.
///
/// New annotations are checked against the latest registered version of the codebook that defines
/// their layer, and record that version. A layer belongs to one codebook.
public struct CodebookRegistry: Sendable {
    /// Every registered version, by codebook id, oldest first.
    public let versions: [String: [Codebook]]
    private let layers: [String: (codebook: Codebook, layer: Layer)]

    public init(_ codebooks: [Codebook]) {
        var versions: [String: [Codebook]] = [:]
        for codebook in codebooks { versions[codebook.id, default: []].append(codebook) }
        for id in versions.keys { versions[id]?.sort { $0.version < $1.version } }
        self.versions = versions
        var layers: [String: (codebook: Codebook, layer: Layer)] = [:]
        for latest in versions.values.compactMap(\.last) {
            for layer in latest.layers { layers[layer.id] = (latest, layer) }
        }
        self.layers = layers
    }

    public var isEmpty: Bool { versions.isEmpty }

    /// The latest version of each codebook, by id.
    public var latest: [Codebook] { versions.keys.sorted().compactMap { versions[$0]?.last } }

    /// The latest codebook version that defines `layer`, and the layer in it.
    public func current(forLayer layer: String) -> (codebook: Codebook, layer: Layer)? { layers[layer] }

    /// A registered version, or nil.
    public func codebook(_ id: String, version: Int) -> Codebook? { versions[id]?.first { $0.version == version } }

    /// The ids of all layers that registered codebooks define, sorted.
    public var layerIDs: [String] { layers.keys.sorted() }
}
