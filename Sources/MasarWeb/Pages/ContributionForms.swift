import MasarCore
import MasarStore

/// The forms that raise a pain point and propose an improvement (`pain-point-form` and
/// `proposal-form`), on the manage page for staff and on the service page for participants:
/// the steps to choose in citizen order, the categories, and after a refusal what was typed.
enum ContributionForms {
    /// `path` is the service's page the forms post under; `sources` is offered to staff only,
    /// since a community member's pain point is their own (`LabRules.recordPainPoint`).
    static func data(_ map: ServiceMap, painPoints: [PainPointRecord], path: String, sources: Bool,
                     kept: KeptForm?, language: Language) -> [String: Any] {
        func shown(_ form: String, _ field: String) -> String { kept?.value(field, of: form) ?? "" }
        return [
            "contributeTo": path,
            "steps": map.current.steps.map { ["id": $0.id, "title": language.pick($0.title), "selected": shown("painPoint", "step") == $0.id] },
            "categories": PainPointCategory.allCases.map { ["value": $0.rawValue, "name": language.name("category", $0.rawValue),
                                                           "selected": shown("painPoint", "category") == $0.rawValue] },
            "sources": !sources ? [] : PainPointSource.allCases.map { ["value": $0.rawValue, "name": language.name("source", $0.rawValue),
                                                                       "selected": shown("painPoint", "source") == $0.rawValue] },
            "severity": kept?.value("severity", of: "painPoint") ?? "3",
            "addressable": painPoints.map { ["number": $0.id!, "text": language.content($0.text),
                                             "addressed": shown("propose", "addresses-\($0.id!)") != ""] },
        ]
    }
}
