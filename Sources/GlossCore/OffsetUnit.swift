/// The unit in which a text offset is counted.
///
/// Gloss stores offsets in code points; the other units exist so that offsets from other tools
/// (UTF-16 from INCEpTION, CATMA, doccano and JavaScript; UTF-8 bytes from byte-oriented tools)
/// can be converted exactly at the edges.
public enum OffsetUnit: String, Sendable, CaseIterable {
    /// Unicode scalar values (code points): the canonical unit.
    case codepoint
    /// UTF-16 code units; an astral character counts 2.
    case utf16
    /// UTF-8 bytes; a character counts 1 to 4.
    case utf8
}
