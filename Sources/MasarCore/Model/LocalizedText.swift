/// Text a lab shows in English and Arabic; at least one of the two is present.
public struct LocalizedText: Equatable, Hashable, Sendable, Codable {
    public var en: String?
    public var ar: String?

    public init(en: String? = nil, ar: String? = nil) {
        self.en = en
        self.ar = ar
    }

    /// English if there is some, else Arabic: the text a terminal table shows.
    public var preferred: String { en ?? ar ?? "" }
}
