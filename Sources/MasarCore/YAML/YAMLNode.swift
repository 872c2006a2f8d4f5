/// A YAML value as the map loader needs it: its shape, its text and the line it starts on.
///
/// Only what a service map can hold is kept (no tags, no comments), so a file becomes a
/// small tree that the loader walks once.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], line: Int)
    case mapping([YAMLPair], line: Int)

    /// The 1-based line the value starts on.
    public var line: Int {
        switch self {
        case .scalar(let scalar): scalar.line
        case .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// What a person would call this kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "nothing" : "a single value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// The same in Arabic.
    public var kindNameArabic: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "قيمة فارغة" : "قيمة واحدة"
        case .sequence: "قائمة"
        case .mapping: "مفاتيح وقيم"
        }
    }
}

/// A scalar's text, whether it was quoted, and where it stands.
public struct YAMLScalar: Sendable, Equatable {
    public var text: String
    /// Plain scalars may mean null, booleans or numbers; quoted ones are always text.
    public var isPlain: Bool
    public var line: Int

    /// `~`, `null` or nothing at all, written plain.
    public var isNull: Bool {
        isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}

/// One `key: value` entry of a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLScalar
    public var value: YAMLNode
}
