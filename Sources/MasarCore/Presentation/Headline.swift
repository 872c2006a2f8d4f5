extension JourneyChange {
    /// The change of the metrics labs announce, one line each: "Steps 9 → 4 (−56%)",
    /// "Visits 3 → 0". The relative change is left out when the figure drops to zero.
    public func headline(_ keys: [JourneyMetrics.Key] = [.steps, .visits, .documents, .elapsedMinutes,
                                                         .citizenCostBaisa, .digitalShare])
        -> [(label: LocalizedText, figures: String)] {
        keys.map { key in
            let change = self[key]
            var figures = "\(key.format(change.before)) → \(key.format(change.after))"
            if change.after != 0, key != .digitalShare, change.delta != 0 {
                figures += " (\(Quantity.format(relative: change.relative)))"
            }
            return (key.label, figures)
        }
    }
}
