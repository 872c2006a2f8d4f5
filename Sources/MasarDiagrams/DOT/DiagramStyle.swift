import MasarCore

/// Which languages a diagram's labels show.
public enum LabelLanguage: String, CaseIterable, Sendable {
    case en, ar, both

    /// The language of units and figures: Arabic on an Arabic diagram, else English.
    public var figures: Language { self == .ar ? .arabic : .english }
}

/// What a diagram shows besides the map itself.
public struct DiagramOptions: Sendable {
    public var language: LabelLanguage
    /// Pain points recorded on each current-path step, shown as a badge.
    public var painPoints: [String: Int]

    public init(language: LabelLanguage = .both, painPoints: [String: Int] = [:]) {
        self.language = language
        self.painPoints = painPoints
    }
}

/// Colours and shapes, in one place so every view and its legend agree.
enum DiagramStyle {
    static let font = "Noto Sans"

    static func shape(_ channel: Channel) -> (shape: String, style: String) {
        switch channel {
        case .inPerson: ("box", "filled")
        case .online: ("box", "filled,rounded")
        case .phone: ("hexagon", "filled")
        case .kiosk: ("component", "filled")
        case .automatic: ("box", "filled,rounded,dashed")
        }
    }

    static func fill(_ channel: Channel) -> String {
        switch channel {
        case .inPerson: "#fde2e2"
        case .online: "#dbeafe"
        case .phone: "#ede9fe"
        case .kiosk: "#ccfbf1"
        case .automatic: "#dcfce7"
        }
    }

    static func fill(_ fate: StepFate) -> String {
        switch fate {
        case .removed: "#fca5a5"
        case .kept: "#f3f4f6"
        case .changed: "#fcd34d"
        case .merged: "#fdba74"
        case .new: "#86efac"
        }
    }

    static func channelName(_ channel: Channel) -> LocalizedText {
        switch channel {
        case .inPerson: LocalizedText(en: "in person", ar: "حضوري")
        case .online: LocalizedText(en: "online", ar: "إلكتروني")
        case .phone: LocalizedText(en: "phone", ar: "هاتفي")
        case .kiosk: LocalizedText(en: "kiosk", ar: "جهاز خدمة ذاتية")
        case .automatic: LocalizedText(en: "automatic", ar: "تلقائي")
        }
    }

    static func fateName(_ fate: StepFate) -> LocalizedText {
        switch fate {
        case .removed: LocalizedText(en: "removed", ar: "محذوفة")
        case .kept: LocalizedText(en: "kept", ar: "باقية")
        case .changed: LocalizedText(en: "changed", ar: "معدّلة")
        case .merged: LocalizedText(en: "merged", ar: "مدمجة")
        case .new: LocalizedText(en: "new", ar: "جديدة")
        }
    }

    static let reworkColour = "#b91c1c"
    static let violationColour = "#dc2626"
}

/// The fixed words of the diagrams, shared by the drawn diagrams and their phone form.
enum DiagramWords {
    static let currentPath = LocalizedText(en: "Current path", ar: "المسار الحالي")
    static let futurePath = LocalizedText(en: "Future path", ar: "المسار المستقبلي")
    static let channel = LocalizedText(en: "Channel", ar: "القناة")
    static let whatChanges = LocalizedText(en: "What changes", ar: "ما الذي يتغير")
    static let onceOnly = LocalizedText(en: "Once only", ar: "مرة واحدة فقط")
    static let inFuturePath = LocalizedText(en: "in the future path:", ar: "في المسار المستقبلي:")
    static let mergeableVisits = LocalizedText(en: "Visits that could be merged:", ar: "زيارات يمكن دمجها:")

    static func path(_ kind: PathKind) -> LocalizedText { kind == .current ? currentPath : futurePath }

    static func painPoints(_ count: Int) -> LocalizedText {
        LocalizedText(en: "\(count) pain point\(count == 1 ? "" : "s")", ar: "نقاط الألم: \(count)")
    }

    static func askedAgain(_ violation: OnceOnlyViolation) -> LocalizedText {
        LocalizedText(en: "↺ \(violation.document) again (held by \(violation.heldBy))",
                      ar: "↺ \(violation.document) مرة أخرى (لدى \(violation.heldBy))")
    }

    static func documentsAskedAgain(_ count: Int) -> LocalizedText {
        LocalizedText(en: "\(count) documents asked again", ar: "مستندات مطلوبة مرة أخرى: \(count)")
    }

    static func lifeEventSubtitle(_ services: Int) -> LocalizedText {
        LocalizedText(en: "Life event: \(services) services in citizen order", ar: "رحلة حياة: \(services) خدمات بترتيب المستفيد")
    }
}
