/// Why a BPMN file, or one process of it, cannot be read: the line it is about and what to do.
/// Every stage (XML, BPMN structure, flow, map rules) reports with this one type, in English
/// (the terminal, the YAML header) and in Arabic (a page in Arabic), written side by side.
struct BPMNFailure: Error, Equatable {
    var line: Int
    var message: String
    /// The same in Arabic: ids, names and element names stay as written, in their quotes.
    var arabic: String
}
