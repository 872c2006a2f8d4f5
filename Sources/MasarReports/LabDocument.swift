import Foundation
import MasarCore
import MasarDiagrams
import MasarStore

/// The lab output document of a service: what reviewers read and directors-general sign.
public enum LabDocument {
    /// Builds the document; diagrams are rendered with Graphviz and set inline in the HTML.
    public static func make(_ content: LabDocumentContent, costs: CostModel = .default) throws -> Document {
        let map = content.map
        var document = Document(title: LocalizedText(en: "Lab output document — " + (map.title.en ?? map.id),
                                                     ar: "مستند مخرجات المختبر — " + (map.title.ar ?? map.id)))
        document.add(.paragraph("Service \(map.id) · owned by \(map.entity) · sector \(map.sector) · "
            + "\(Quantity.grouped(map.annualVolume)) transactions a year · stage \(content.stage.rawValue)"))
        document.add(.paragraph("Map revision \(content.revision.id!), imported by \(content.revision.importedBy), "
            + "sha256 \(content.revision.sha256): the exact text reviewed and signed is kept with this revision."))
        document.add(.paragraph("Lab \(content.lab.name) · \(content.phase.name) (\(content.phase.startsOn) to "
            + "\(content.phase.endsOn)) · facilitated by \(content.lab.facilitators.sorted().joined(separator: ", "))"))

        document.add(.heading(level: 2, LocalizedText(en: "Who took part", ar: "المشاركون")))
        document.add(.table(headers: ["Name · الاسم", "Roles · الأدوار"],
                            rows: content.people.map { [$0.name, $0.roles.map(\.rawValue).joined(separator: ", ")] }))
        if !content.sessions.isEmpty {
            document.add(.table(headers: ["Session · الجلسة", "Place · المكان", "Institution representatives · ممثلو الجهات",
                                          "Community members · أفراد المجتمع"],
                                rows: content.sessions.map { [$0.heldOn, $0.place, String($0.institutionRepresentatives),
                                                              String($0.communityMembers)] }))
        }

        var counts: [String: Int] = [:]
        for point in content.painPoints { counts[point.stepId, default: 0] += 1 }
        let options = DiagramOptions(painPoints: counts)

        document.add(.heading(level: 2, LocalizedText(en: "Current path", ar: "المسار الحالي")))
        document.add(steps(map.current))
        if let dot = Diagram.path(map, .current, options) {
            document.add(.figure(caption: "Current path, with the number of pain points on each step",
                                 svg: try Graphviz.shared.render(dot, as: .svg), phone: StepList(path: map, .current, options, costs: costs)))
        }

        document.add(.heading(level: 2, LocalizedText(en: "Pain points", ar: "نقاط الألم")))
        if content.painPoints.isEmpty {
            document.add(.paragraph("No pain points recorded."))
        } else {
            document.add(.table(headers: ["#", "Step · الخطوة", "Category · الفئة", "Severity · الشدة", "Source · المصدر",
                                          "What hurts · الوصف"],
                                rows: content.painPoints.map { point in
                                    [String(point.id!), stepName(point.stepId, in: map.current), point.category.rawValue,
                                     "\(point.severity)/5", point.source.rawValue, point.text.bothLanguages]
                                }))
            let byCategory = Dictionary(grouping: content.painPoints, by: \.category)
            document.add(.table(headers: ["Category · الفئة", "Pain points · العدد", "Mean severity · متوسط الشدة"],
                                rows: PainPointCategory.allCases.compactMap { category in
                                    guard let points = byCategory[category] else { return nil }
                                    let mean = Double(points.map(\.severity).reduce(0, +)) / Double(points.count)
                                    return [category.rawValue, String(points.count), Quantity.format(mean, decimals: 1)]
                                }))
        }

        document.add(.heading(level: 2, LocalizedText(en: "Improvements", ar: "التحسينات")))
        if content.improvements.isEmpty {
            document.add(.paragraph("No improvements proposed."))
        } else {
            document.add(.table(headers: ["#", "Status · الحالة", "Addresses · يعالج", "Improvement · التحسين", "Proposed by"],
                                rows: content.improvements.map { entry in
                                    [String(entry.improvement.id!), entry.improvement.status.rawValue,
                                     entry.addresses.map { "#\($0)" }.joined(separator: " "), entry.improvement.text.bothLanguages,
                                     // A participant is named in no document: a community member proposed it.
                                     entry.improvement.participantId == nil ? entry.improvement.proposedBy : "community member · فرد من المجتمع"]
                                }))
        }

        document.add(.heading(level: 2, LocalizedText(en: "Future path", ar: "المسار المستقبلي")))
        if let future = map.future {
            document.add(steps(future))
            if let dot = Diagram.comparison(map, options, costs: costs) {
                document.add(.figure(caption: "Current and future path side by side",
                                     svg: try Graphviz.shared.render(dot, as: .svg), phone: StepList(comparison: map, options, costs: costs)))
            }
            if let comparison = map.comparison(costs) {
                document.add(.heading(level: 2, LocalizedText(en: "Before and after", ar: "قبل وبعد")))
                document.add(.table(headers: ["Metric · المؤشر", "Before · قبل", "After · بعد", "Change · التغير"],
                                    rows: JourneyMetrics.Key.allCases.map { key in
                                        let change = comparison.change[key]
                                        return [[key.label.en, key.label.ar].compactMap { $0 }.joined(separator: " · "),
                                                key.format(change.before), key.format(change.after),
                                                key.formatDelta(change.delta) + " (" + Quantity.format(relative: change.relative) + ")"]
                                    }))
            }
        } else {
            document.add(.paragraph("The future path is not designed yet."))
        }

        document.add(.heading(level: 2, LocalizedText(en: "Review history", ar: "سجل المراجعة")))
        if content.reviews.isEmpty {
            document.add(.paragraph("No reviews yet."))
        } else {
            document.add(.table(headers: ["When · التاريخ", "Reviewer · المراجع", "Role · الدور", "Verdict · القرار",
                                          "Reasons · الأسباب", "Revision"],
                                rows: content.reviews.map { review in
                                    [day(review.at), review.reviewer, review.role.rawValue, review.verdict.rawValue,
                                     review.reasons, String(review.revisionId)]
                                }))
        }

        document.add(.heading(level: 2, LocalizedText(en: "Sign-offs", ar: "الاعتماد")))
        // The audit log's head at each sign-off, on paper: a later rewrite of the log no longer
        // matches it (`masar log --verify --head ENTRY:SHA256`).
        document.add(.table(headers: ["Institution · الجهة", "Director-general · المدير العام", "When · التاريخ",
                                      "Audit head · بصمة السجل"],
                            rows: content.signOffs.map { [$0.institution, $0.directorGeneral, day($0.at), $0.auditHead?.description ?? ""] }
                                + content.awaitingSignOff.map { [$0, "awaiting · بانتظار الاعتماد", "", ""] }))
        return document
    }

    static func steps(_ path: ServicePath) -> Document.Block {
        .table(headers: ["Step · الخطوة", "English", "العربية", "Actor · الجهة", "Channel · القناة", "Time · المدة",
                         "Fee · الرسوم", "Documents · المستندات"],
               rows: path.steps.map { step in
                   [step.id, step.title.en ?? "", step.title.ar ?? "", step.actor, step.channel.rawValue,
                    Quantity.format(minutes: Double(step.duration)), step.fee > 0 ? Quantity.format(baisa: Double(step.fee)) : "",
                    step.documents.joined(separator: ", ")]
               })
    }

    static func stepName(_ id: String, in path: ServicePath) -> String {
        path.step(id).map { "\(id) — \($0.title.preferred)" } ?? id
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}

extension LabDocument {
    /// Makes a service's lab output document from one snapshot of the store and, where the stage
    /// records it (future-design, review), records the SHA-256 of its HTML for the revision it documents, which review
    /// needs. A map imported meanwhile makes the record refused (`documentOutdated`), never wrong.
    /// The same for the CLI and the web.
    public static func generate(service id: String, in store: any LabStore,
                                by member: Member) async throws -> (document: Document, revision: Int64) {
        let content = try await store.documentContent(service: id)
        let document = try make(content)
        do {
            try await store.recordDocument(service: id, revision: content.revision.id!, sha256: Fingerprint.of(document.html),
                                           by: member)
        } catch let refusal as Refusal where refusal.code == .stageForbids {
            // Outside the stages that record it, the document is only read.
        }
        return (document, content.revision.id!)
    }
}
