extension JourneyMetrics.Key {
    /// The metric's name as reports print it.
    public var label: LocalizedText {
        switch self {
        case .steps: LocalizedText(en: "Steps", ar: "الخطوات")
        case .visits: LocalizedText(en: "Visits", ar: "الزيارات")
        case .documents: LocalizedText(en: "Documents", ar: "المستندات")
        case .institutions: LocalizedText(en: "Institutions", ar: "الجهات")
        case .handoffs: LocalizedText(en: "Handoffs", ar: "التحويلات بين الجهات")
        case .elapsedMinutes: LocalizedText(en: "Elapsed time", ar: "المدة")
        case .effortMinutes: LocalizedText(en: "Citizen effort", ar: "جهد المستفيد")
        case .citizenCostBaisa: LocalizedText(en: "Citizen cost", ar: "تكلفة المستفيد")
        case .annualBurdenBaisa: LocalizedText(en: "Annual burden", ar: "العبء السنوي")
        case .digitalShare: LocalizedText(en: "Digital share", ar: "الحصة الرقمية")
        }
    }

    /// A value of this metric with its unit: `2 d 4 h`, `7.500 OMR`, `35%`, `1.15`; units in `language`.
    public func format(_ value: Double, in language: Language = .english) -> String {
        switch self {
        case .elapsedMinutes, .effortMinutes: Quantity.format(minutes: value, in: language)
        case .citizenCostBaisa, .annualBurdenBaisa: Quantity.format(baisa: value, in: language)
        case .digitalShare: "\(Int((value * 100).rounded()))%"
        case .steps, .documents, .institutions: String(Int(value.rounded()))
        case .visits, .handoffs: Quantity.format(value)
        }
    }
}

extension JourneyMetrics.Key {
    /// Whether a rise is an improvement: only for the digital share; every other figure is a burden.
    public var higherIsBetter: Bool { self == .digitalShare }

    /// A change in the digital share: `+70 pp`, in Arabic in the plural form the count takes.
    static let percentagePoints = Counted(
        ar: [.zero: "0 نقطة مئوية", .one: "نقطة مئوية واحدة", .two: "نقطتان مئويتان", .few: "{n} نقاط مئوية",
             .many: "{n} نقطة مئوية", .other: "{n} نقطة مئوية"],
        en: [.other: "{n} pp"])

    /// A change of this metric with its sign: `−3`, `+1 d 2 h`, `−7.125 OMR`, `+70 pp`.
    public func formatDelta(_ delta: Double, in language: Language = .english) -> String {
        let magnitude = self == .digitalShare ? Self.percentagePoints.text(Int((abs(delta) * 100).rounded()), in: language)
            : format(abs(delta), in: language)
        if magnitude.allSatisfy({ "0.,".contains($0) }) || magnitude.hasPrefix("0 ") || magnitude.hasPrefix("0.000 ") {
            return magnitude
        }
        return (delta < 0 ? "−" : "+") + magnitude
    }
}
