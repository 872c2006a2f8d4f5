/// Why a BPMN file, or one process of it, cannot be read: the line it is about and what to do.
/// Every stage (XML, BPMN structure, flow, map rules) reports with this one type.
struct BPMNFailure: Error, Equatable {
    var line: Int
    var message: String
}
