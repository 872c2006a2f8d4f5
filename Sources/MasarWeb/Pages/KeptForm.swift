import Foundation
import Hummingbird
import MasarCore

/// A form that was refused, shown again as it was typed: the page it came from is rendered
/// once more (422) with each field's value, and the refusal in the page's language beside the
/// field it concerns — or above the form when it concerns no one field. A password is never
/// sent back.
struct KeptForm: Sendable {
    /// Which form of the page (`painPoint`, `register`, `ballot` …): a page has several.
    var name: String
    var values: [String: String]
    /// The refusal's words, by the field they are shown beside; `form` when it concerns the whole form.
    var errors: [String: String]

    init(_ name: String, _ form: Form, refused error: Error, language: Language) {
        self.name = name
        values = form.fields.compactMapValues { $0.first }.filter { !Self.neverKept.contains($0.key) }
        let (field, message): (String?, String) = switch error {
        case let refusal as Refusal: (Self.field(of: refusal), refusal.message(in: language))
        case let problem as WebProblem: (problem.field, problem.message(in: language))
        case let issues as MapIssues: (nil, issues.description(in: language))
        default: (nil, "\(error)")
        }
        // A field the form does not have (the store names it otherwise) is told above the form.
        let beside = field.flatMap { form.fields[$0] != nil || Self.groups.contains($0) ? $0 : nil } ?? "form"
        errors = [beside: message]
    }

    /// Whether `error` is one a form shows beside its fields; anything else is an error page.
    static func keeps(_ error: Error) -> Bool {
        switch error {
        case let refusal as Refusal: refusal.status == .unprocessableContent
        case let problem as WebProblem: problem.status == .badRequest
        case is MapIssues: true
        default: false
        }
    }

    /// What a template reads: `kept.<form>.values.<field>`, `kept.<form>.errors.<field>`.
    var data: [String: Any] { [name: ["values": values, "errors": errors]] }

    /// For a form repeated per item (each vote's paper ballot, each improvement's decision),
    /// named `<form>-<item>`: what its template reads as `keptHere.<form>`, when it is one of `forms` for `item`.
    func data(ifFor forms: [String], item: Int64) -> [String: Any]? {
        guard let form = forms.first(where: { name == "\($0)-\(item)" }) else { return nil }
        return [form: ["values": values, "errors": errors]]
    }

    /// The value typed in `field`, for a page that marks a choice as selected.
    func value(_ field: String, of form: String) -> String? { form == name ? values[field] : nil }

    /// The fields refusals name (`TextField.name`, a date's or a civil ID's part), as forms name them.
    static let formNames: [String: String] = [
        "account name": "name", "participant name": "name", "phase name": "name", "lab name": "name",
        "institution": "institution", "sector": "sectors", "target service": "targets", "place": "place",
        "vote question": "question", "poll option": "options", "pain point text": "text", "improvement text": "text",
        "review reasons": "reasons", "civil ID number": "civilID", "year of birth": "birthYear",
        "start date": "startsOn", "end date": "endsOn", "session date": "heldOn",
    ]

    static let neverKept: Set<String> = ["password", "_form"]

    /// Fields a form shows as a group (a ballot's choices, a list of pain points to address, a
    /// text in both languages).
    static let groups: Set<String> = ["choices", "addresses", "text", "question", "options"]

    /// The form field a refusal concerns, by its name on Masar's forms. A text refusal names
    /// its field (`TextField`); the rest concern one field by what they are about.
    static func field(of refusal: Refusal) -> String? {
        if let field = refusal.arguments["field"] { return formNames[field] ?? field }
        return switch refusal.code {
        case .passwordTooShort, .passwordTooLong: "password"
        case .participantNeedsName, .accountNeedsName, .nameTaken, .nameLooksLike: "name"
        case .severityOutOfRange: "severity"
        case .notAStep, .painPointsOnRemovedSteps: "step"
        case .needsCivilID, .badCivilID, .notOnEligibilityList, .civilIDRegistered: "civilID"
        case .notAChoice, .ballotNeedsChoice, .supportOnce, .supportOverLimit, .dotsOverCap, .dotsOverBudget, .pollOneAnswer:
            "choices"
        case .unknownPainPoints: "addresses"
        case .closesBeforeOpens, .windowTooShort, .windowTooLong, .closesInPast, .badInstant: "closes"
        case .supportNeedsLimit: "limit"
        case .dotsNeedBudgetAndCap: "budget"
        case .pollNeedsOptions: "options"
        case .amendNeedsReasons: "reasons"
        case .endsBeforeStart: "endsOn"
        case .negativeAttendance: "community"
        case .representativeNeedsInstitution, .communityHasNoInstitution, .accountNeedsInstitution: "institution"
        case .negativeTally: "count"
        default: nil
        }
    }
}

extension WebServices {
    /// Runs a form's `action`; when the lab refuses it, `page` is shown again with the form as
    /// typed and the refusal beside its field, and nothing was changed.
    func submit(_ form: Form, as name: String, request: Request, context: MasarContext,
                page: (Request, MasarContext) async throws -> Response,
                _ action: () async throws -> Response) async throws -> Response {
        do {
            return try await action()
        } catch where KeptForm.keeps(error) {
            var context = context
            context.kept = KeptForm(name, form, refused: error, language: context.language)
            return try await page(request, context)
        }
    }
}
