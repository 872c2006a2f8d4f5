import Foundation
import MasarCore
import MasarDiagrams

/// Reads BPMN 2.0 files into service maps: one map (a current path) per process.
///
/// A file never half-imports: each process either becomes a map that passes the loader's own
/// rules, or is refused with the reason; a file that cannot be read at all is refused whole.
public enum BPMNImport {
    /// One process read into a service map.
    public struct ImportedProcess: Sendable {
        public var processID: String
        /// The process's name, else its pool's, else its id.
        public var name: String
        public var map: ServiceMap
        /// The map as YAML, with the comment that lists what the facilitator must check.
        public var yaml: String
        /// The BPMN element each step came from, by step id.
        public var sources: [String: String]
        /// End steps the import added, each for an end event a step can reach besides going on.
        public var outcomes: Set<String>
        /// What the import had to approximate, named, one line each, in both languages.
        public var warningNotes: [Note]

        /// The warnings in English, as the YAML header and the terminal give them.
        public var warnings: [String] { warningNotes.map(\.en) }

        /// The warnings in `language`, for a page.
        public func warnings(in language: Language) -> [String] { warningNotes.map { $0.text(in: language) } }
    }

    /// One sentence of the importer in English (the terminal, the YAML header) and in Arabic (a
    /// page in Arabic), written together at the one place that says it, so they cannot drift apart.
    public struct Note: Sendable, Equatable, CustomStringConvertible {
        public var en: String
        public var ar: String

        public init(en: String, ar: String) {
            self.en = en
            self.ar = ar
        }

        public func text(in language: Language) -> String { language == .arabic ? ar : en }

        /// English, as the terminal prints it.
        public var description: String { en }

        /// Both texts with line breaks and runs of spaces folded, as names in BPMN are.
        var folded: Note { Note(en: BPMNText.folded(en), ar: BPMNText.folded(ar)) }
    }

    /// Why a file or a process of it was not imported.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        /// In English, as the terminal prints it.
        public var message: String
        /// The same in Arabic, for a page in Arabic.
        public var arabic: String

        /// `FILE:LINE: message`, in English.
        public var description: String { description(in: .english) }

        /// `FILE:LINE: message` in `language`, as `MapIssue` writes it; the file's name stays as it is.
        public func description(in language: Language) -> String {
            MapIssue(file: file, line: line, message: message, arabic: arabic).description(in: language)
        }

        init(file: String, _ failure: BPMNFailure) {
            self.file = file
            line = failure.line
            message = BPMNText.folded(failure.message)
            arabic = BPMNText.folded(failure.arabic)
        }
    }

    /// What became of one file.
    public struct FileImport: Sendable {
        public var file: String
        public var imported: [ImportedProcess] = []
        public var refused: [Refusal] = []
        /// Processes left out because they hold nothing (a pool drawn as a black box).
        public var skippedNotes: [Note] = []

        /// What was skipped, in English, as the terminal gives it.
        public var skipped: [String] { skippedNotes.map(\.en) }

        /// What was skipped, in `language`, for a page.
        public func skipped(in language: Language) -> [String] { skippedNotes.map { $0.text(in: language) } }
    }

    /// Reads files in turn; map ids are kept unique across all of them. With `joinPools`, each
    /// file's pools make one map, message flows between them its handoffs.
    public static func read(files paths: [String], joinPools: Bool = false,
                            progress: (Int) -> Void = { _ in }) -> [FileImport] {
        var mapIDs: Set<String> = []
        return paths.enumerated().map { index, path in
            let name = (path as NSString).lastPathComponent
            let result = read(name, joinPools: joinPools, besides: &mapIDs) { () throws(BPMNFailure) in
                try SafeXML.read(file: path)
            }
            progress(index + 1)
            return result
        }
    }

    /// Reads BPMN XML held in memory; `file` names it in messages and in the maps' ids.
    public static func read(_ data: Data, file: String, joinPools: Bool = false) -> FileImport {
        var mapIDs: Set<String> = []
        return read(file, joinPools: joinPools, besides: &mapIDs) { () throws(BPMNFailure) in try SafeXML.parse(data) }
    }

    private static func read(_ file: String, joinPools: Bool, besides mapIDs: inout Set<String>,
                             _ parse: () throws(BPMNFailure) -> XMLNode) -> FileImport {
        do {
            return try read(parse(), file: file, joinPools: joinPools, besides: &mapIDs)
        } catch {
            return FileImport(file: file, refused: [Refusal(file: file, error)])
        }
    }

    private static func read(_ root: XMLNode, file: String, joinPools: Bool,
                             besides mapIDs: inout Set<String>) throws(BPMNFailure) -> FileImport {
        let document = try BPMNDocument(root: root)
        var result = FileImport(file: file)
        guard !document.processes.isEmpty else {
            result.refused.append(Refusal(file: file, BPMNFailure(line: root.line, message: "the file holds no process",
                                                                  arabic: "لا يحوي الملف أي عملية")))
            return result
        }
        let processes = joinPools && document.processes.count { !$0.nodes.isEmpty } > 1
            ? [document.joined(name: root["name"].map(BPMNText.folded) ?? (file as NSString).deletingPathExtension)]
            : document.processes
        for process in processes {
            if process.nodes.isEmpty {
                result.skippedNotes.append(Note(en: "process '\(process.displayName)' is empty (a pool drawn as a black box)",
                                                ar: "العملية '\(process.displayName)' فارغة (حوضٌ مرسوم صندوقًا أسود)"))
                continue
            }
            do {
                let importer = ProcessImporter(document: document, process: process, file: file, joinedPools: joinPools)
                let imported = try importer.run(besides: mapIDs)
                mapIDs.insert(imported.map.id)
                result.imported.append(imported)
            } catch {
                result.refused.append(Refusal(file: file, error))
            }
        }
        return result
    }
}

/// Turns one process into a service map.
struct ProcessImporter {
    let document: BPMNDocument
    let process: ProcessModel
    let file: String
    /// Whether the file's pools are read as one map.
    let joinedPools: Bool
    /// How much walking reading the process may take (see `WorkBudget`).
    var workLimit = WorkBudget.standard
    /// The process's nodes by id, for climbing from a node to the subprocess around it.
    private let nodesByID: [String: FlowNode]

    init(document: BPMNDocument, process: ProcessModel, file: String, joinedPools: Bool) {
        self.document = document
        self.process = process
        self.file = file
        self.joinedPools = joinedPools
        nodesByID = Dictionary(process.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Message flows followed as edges (pools read as one); the others are noted on their steps.
    var handoffs: [MessageFlow] { joinedPools ? document.messageFlows : [] }

    /// The process as a map whose id differs from `mapIDs`, checked by the loader.
    func run(besides mapIDs: Set<String>) throws(BPMNFailure) -> BPMNImport.ImportedProcess {
        let name = process.displayName
        if let trigger = process.nodes.first(where: { $0.kind == .eventSubprocess }) {
            throw BPMNFailure(line: trigger.line, message:
                "process '\(name)' has an event subprocess '\(label(trigger))', started by an event at any moment; a Masar path cannot hold that — draw it as a branch of the main flow, or leave it out",
                arabic: "في العملية '\(name)' عملية فرعية حدثية (event subprocess) '\(label(trigger))' يبدؤها حدث في أي لحظة؛ ولا يتسع لها مسار في «مسار» — ارسمها فرعًا من التدفق الرئيسي، أو احذفها")
        }
        var graph = try FlowGraph(process, messages: handoffs, budget: WorkBudget(workLimit, line: process.line))
        let stepNodes = process.nodes.filter(\.kind.isStep)
        guard !stepNodes.isEmpty else {
            throw BPMNFailure(line: process.line, message: "process '\(name)' has no task",
                              arabic: "ليس في العملية '\(name)' أي مهمة")
        }
        var warnings: [BPMNImport.Note] = []
        try graph.serialiseParallelSplits()
        warnings += parallelWarnings(graph)
        let entry = try self.entry(graph)
        if !process.compensations.isEmpty {
            let handlers = process.compensations.map { "'\($0)'" }
            warnings.append(BPMNImport.Note(
                en: "compensation handlers left out, as they run only to undo a step: \(handlers.joined(separator: ", "))",
                ar: "تُركت معالجات التعويض (compensation handlers)، إذ لا تعمل إلا للتراجع عن خطوة: \(handlers.joined(separator: "، "))"))
        }
        var ids = stepIDs(stepNodes)
        let (steps, outcomes) = try self.steps(stepNodes, graph: graph, ids: &ids, warnings: &warnings)
        let ordered = try walkOrder(from: entry, steps: steps, ids: ids, budget: graph.budget)

        let stepSet = Set(stepNodes.map(\.id))
        let crossing = document.messageFlows.filter { flow in
            !joinedPools && (stepSet.contains(flow.source) || stepSet.contains(flow.target))
        }
        if !crossing.isEmpty {
            warnings.append(BPMNImport.Note(
                en: "\(crossing.count) message flow(s) to or from other pools are noted on their steps; each process is its own map (--join-pools makes them handoffs in one map)",
                ar: "تدفقات الرسائل (message flows) من الأحواض (pools) الأخرى أو إليها، وعددها \(crossing.count)، مدوَّنة على خطواتها؛ فكل عملية خريطة مستقلة (ويجعلها --join-pools تسليمات في خريطة واحدة)"))
        }
        let facts = process.service
        var mapID = facts?.id ?? fallbackMapID(name)
        if facts?.path == .future {
            mapID += "-future"
            warnings.append(BPMNImport.Note(
                en: "this is the future path of '\(facts!.id)', read as a map of its own: move its steps under `future:` in that service's file",
                ar: "هذا هو المسار المستقبلي للخدمة '\(facts!.id)'، وقد قُرئ خريطةً مستقلة: انقل خطواته إلى `future:` في ملف تلك الخدمة"))
        }
        let map = ServiceMap(id: Slug.unique(mapID, among: mapIDs), title: facts?.title ?? LocalizedText(detecting: name),
                             entity: process.pool ?? "To be set", sector: facts.map(\.sector).flatMap { $0.isEmpty ? nil : $0 } ?? "unassigned",
                             lifeEvents: facts?.lifeEvents ?? [], annualVolume: facts?.annualVolume ?? 0,
                             current: ServicePath(steps: ordered.map { steps[$0]! }))
        var sources: [String: String] = [:]
        for (node, id) in ids { sources[id] = node }
        var imported = BPMNImport.ImportedProcess(processID: process.id, name: name, map: map, yaml: "", sources: sources,
                                                  outcomes: Set(outcomes.values.map(\.id)),
                                                  warningNotes: warnings.map(\.folded))
        imported.yaml = yaml(imported, comments: comments(stepNodes, outcomes: outcomes, ids: ids))
        try validate(imported)
        return imported
    }

    /// The splits made sequential, named one warning each.
    private func parallelWarnings(_ graph: FlowGraph) -> [BPMNImport.Note] {
        graph.serialised.map { gateway, branches in
            let named = branches.map { "'\(graph.nodes[$0].map(label) ?? $0)'" }
            let implicit = gateway.element == "implicitFork"
            let split = implicit
                ? "'\(label(gateway))' (line \(gateway.line)) has several unconditioned flows, which BPMN runs in parallel:"
                : "parallel gateway '\(label(gateway))' (line \(gateway.line)):"
            let splitArabic = implicit
                ? "تخرج من '\(label(gateway))' (السطر \(gateway.line)) عدة تدفقات بلا شروط، يشغّلها BPMN بالتوازي:"
                : "البوابة المتوازية (parallel gateway) '\(label(gateway))' (السطر \(gateway.line)):"
            return BPMNImport.Note(
                en: "\(split) its branches \(named.joined(separator: ", ")) are made sequential; Masar paths have no parallel flow yet, so elapsed time is overstated",
                ar: "\(splitArabic) جُعلت فروعها \(named.joined(separator: "، ")) متتابعة؛ إذ لا تدعم مسارات «مسار» التدفق المتوازي بعد، فتظهر المدة المنقضية أطول مما هي")
        }
    }

    /// Every step with its next steps, by BPMN id, plus the end steps added where a step can
    /// also end the process (by the end's BPMN id).
    private func steps(_ stepNodes: [FlowNode], graph: FlowGraph, ids: inout [String: String],
                       warnings: inout [BPMNImport.Note]) throws(BPMNFailure) -> (steps: [String: Step], outcomes: [String: Step]) {
        var successors: [String: FlowGraph.Successors] = [:]
        for node in stepNodes { successors[node.id] = try graph.successors(of: node.id) }
        successors = try Self.waitingForReplies(successors, budget: graph.budget)
        var steps: [String: Step] = [:]
        var outcomes: [String: Step] = [:]
        var endingSteps: [String: [FlowNode]] = [:]
        for node in stepNodes {
            let found = successors[node.id]!
            if found.edges.isEmpty && found.ends.isEmpty && !graph.outgoing(node.id).isEmpty {
                throw BPMNFailure(line: node.line, message:
                    "after '\(label(node))' the flow circles through gateways or events without reaching a task or an end",
                    arabic: "بعد '\(label(node))' يدور التدفق بين البوابات أو الأحداث دون أن يبلغ مهمة أو نهاية")
            }
            let handedOff = found.edges.filter(\.isHandoff).map { "'\(graph.nodes[$0.to].map(label) ?? $0.to)'" }
            if !handedOff.isEmpty && handedOff.count < found.edges.count {
                warnings.append(BPMNImport.Note(
                    en: "'\(label(node))' (line \(node.line)) hands off to \(handedOff.joined(separator: ", ")) in another pool and also goes on in its own; the map takes one or the other",
                    ar: "الخطوة '\(label(node))' (السطر \(node.line)) تسلّم إلى \(handedOff.joined(separator: "، ")) في حوض آخر وتستمر أيضًا في حوضها؛ وتأخذ الخريطة أحد الطريقين دون الآخر"))
            }
            // A step that can end the process or go on gets an end step for each end it can
            // reach; a pool that hands the journey on ends only its own part, not the journey.
            var targets = found.edges
            if !found.edges.isEmpty && handedOff.isEmpty {
                for end in found.ends {
                    if outcomes[end.to] == nil {
                        outcomes[end.to] = outcomeStep(for: end.to, reachedFrom: node, graph: graph, ids: &ids)
                    }
                    endingSteps[end.to, default: []].append(node)
                    targets.append(end)
                }
            }
            let branching = targets.count > 1
            let next = targets.map { edge in
                Transition(to: ids[edge.to]!, when: branching && !edge.isDefault ? edge.label : nil,
                           probability: branching ? edge.probability : nil)
            }
            steps[node.id] = step(node, id: ids[node.id]!, next: next)
        }
        for (end, outcome) in outcomes.sorted(by: { $0.value.id < $1.value.id }) {
            steps[end] = outcome
            let ending = endingSteps[end, default: []]
            var named = ending.prefix(5).map { "'\(label($0))' (line \($0.line))" }.joined(separator: ", ")
            var namedArabic = ending.prefix(5).map { "'\(label($0))' (السطر \($0.line))" }.joined(separator: "، ")
            if ending.count > 5 {
                named += " and \(ending.count - 5) more"
                namedArabic += " وغيرها (\(ending.count - 5))"
            }
            warnings.append(BPMNImport.Note(
                en: "\(named) can end the process or go on: the end step '\(outcome.id)' stands for that end",
                ar: "\(namedArabic): قد تُنهي العملية أو تستمر، وخطوة النهاية '\(outcome.id)' تمثّل تلك النهاية"))
        }
        return (steps, outcomes)
    }

    /// The one step a citizen enters at; a process with none or several is refused.
    private func entry(_ graph: FlowGraph) throws(BPMNFailure) -> String {
        let entries = try graph.entrySteps()
        guard let entry = entries.first else {
            throw BPMNFailure(line: process.line, message: "process '\(process.displayName)': no task can be reached from its start",
                              arabic: "العملية '\(process.displayName)': لا يمكن بلوغ أي مهمة من بدايتها")
        }
        guard entries.count == 1 else {
            let named = entries.map { "'\(graph.nodes[$0].map(label) ?? $0)'" }
            throw BPMNFailure(line: process.line, message:
                "process '\(process.displayName)' begins at \(entries.count) tasks (\(named.joined(separator: ", "))); a Masar path has one entry — "
                    + (joinedPools ? "its pools start apart, so import them without --join-pools"
                                   : "add the step that decides between them, or import each start as its own process"),
                arabic: "تبدأ العملية '\(process.displayName)' من مهام عددها \(entries.count) (\(named.joined(separator: "، ")))؛ وللمسار في «مسار» مدخل واحد — "
                    + (joinedPools ? "فأحواضها (pools) تبدأ منفصلة، لذا استوردها دون --join-pools"
                                   : "أضف الخطوة التي تختار بينها، أو استورد كل بداية عمليةً مستقلة"))
        }
        return entry
    }

    /// The step that stands for an end event (or a dead end) where a step can also finish the
    /// process: it ends the path, takes no time, and is titled from the end event.
    private func outcomeStep(for end: String, reachedFrom step: FlowNode, graph: FlowGraph,
                             ids: inout [String: String]) -> Step {
        let node = graph.nodes[end]
        let named = node.map(\.name).flatMap { $0.isEmpty ? nil : $0 }
        let slug = Slug.make(named ?? "")
        let id = Slug.unique(slug.isEmpty ? "end" : slug, among: Set(ids.values))
        ids[end] = id
        return Step(id: id, title: named.map(LocalizedText.init(detecting:)) ?? LocalizedText(en: "End", ar: "النهاية"),
                    actor: actor(of: node ?? step), channel: .automatic, duration: 0)
    }

    /// The map's id when Masar did not export the file: the file's name, then the process's.
    private func fallbackMapID(_ name: String) -> String {
        let base = Slug.make((file as NSString).deletingPathExtension)
        let nameSlug = Slug.make(name)
        if !nameSlug.isEmpty && (nameSlug == base || nameSlug.hasPrefix(base + "-") || base.isEmpty) { return nameSlug }
        let joined = Slug.make(base + "-" + name)
        return joined.isEmpty ? "process" : joined
    }

    /// The comment above each step: the BPMN element it came from, and what it says about it.
    private func comments(_ stepNodes: [FlowNode], outcomes: [String: Step], ids: [String: String]) -> [String: String] {
        // Message flows to other processes are noted on their steps (unless they are handoffs).
        let elsewhere = Dictionary(document.processes.filter { $0.id != process.id }.flatMap { other in
            other.nodes.map { ($0.id, "'\(label($0))' in process '\(other.displayName)'") }
        }, uniquingKeysWith: { first, _ in first })
        let sent = Dictionary(grouping: joinedPools ? [] : document.messageFlows, by: \.source)
        let received = Dictionary(grouping: joinedPools ? [] : document.messageFlows, by: \.target)
        var comments: [String: String] = [:]
        for node in stepNodes {
            var note = "BPMN \(node.element) '\(node.id)'"
            if waiting(node) != nil { note += " — a timer: waiting, no visit" }
            for message in sent[node.id] ?? [] { if let other = elsewhere[message.target] { note += "; sends a message to \(other)" } }
            for message in received[node.id] ?? [] { if let other = elsewhere[message.source] { note += "; receives a message from \(other)" } }
            comments[ids[node.id]!] = note
        }
        for (end, outcome) in outcomes {
            comments[outcome.id] = "BPMN \(nodesByID[end]?.element ?? "end") '\(end)' — added: a step above can end the process here"
        }
        return comments
    }

    /// A step that hands off to another pool and also goes on in its own usually waits there for
    /// the reply: when its own next step is reached through the handoff anyway, the citizen's
    /// journey runs through the other pool first, so the direct edge goes. Nothing that was
    /// reachable stops being so.
    static func waitingForReplies(_ graph: [String: FlowGraph.Successors],
                                  budget: WorkBudget) throws(BPMNFailure) -> [String: FlowGraph.Successors] {
        var graph = graph
        for (step, successors) in graph.sorted(by: { $0.key < $1.key }) {
            let handoffs = successors.edges.filter(\.isHandoff).map(\.to)
            guard !handoffs.isEmpty else { continue }
            for edge in successors.edges where !edge.isHandoff {
                let reached = try Reachability.reachable(from: handoffs, budget: budget) { id in
                    (graph[id]?.edges ?? []).map(\.to).filter { !(id == step && $0 == edge.to) }
                }
                if reached.contains(edge.to) { graph[step]!.edges.removeAll { $0.to == edge.to && !$0.isHandoff } }
            }
        }
        return graph
    }

    /// A map the importer wrote must pass the same rules as one a facilitator typed, or the
    /// process is refused with what failed.
    private func validate(_ imported: BPMNImport.ImportedProcess) throws(BPMNFailure) {
        let size = imported.yaml.utf8.count
        guard size <= MapLoader.maxFileSize else {
            throw BPMNFailure(line: process.line, message:
                "process '\(process.displayName)' makes a map of \(size) bytes, more than a map may hold (1 MiB); split it into smaller processes",
                arabic: "تُنتج العملية '\(process.displayName)' خريطة حجمها \(size) بايت، وهو أكثر مما تتسع له الخريطة (1 MiB)؛ قسّمها إلى عمليات أصغر")
        }
        do {
            _ = try MapLoader.parseService(imported.yaml, file: imported.map.id + ".yaml")
        } catch {
            let reasons = error.issues.map { "line \($0.line): \($0.message)" }.joined(separator: "; ")
            let reasonsArabic = error.issues.map { "السطر \($0.line): \($0.arabic ?? $0.message)" }.joined(separator: "؛ ")
            throw BPMNFailure(line: process.line, message: "process '\(process.displayName)' does not make a valid map: \(reasons)",
                              arabic: "لا تُنتج العملية '\(process.displayName)' خريطة صالحة: \(reasonsArabic)")
        }
    }

    private func yaml(_ imported: BPMNImport.ImportedProcess, comments: [String: String]) -> String {
        var header = ["Imported by `masar import-bpmn` from \(file), process '\(process.displayName)' (BPMN id '\(process.id)')."]
        if process.service != nil {
            let added = process.nodes.filter { $0.kind.isStep && $0.figures == nil }.map { "'\(label($0))'" }
            header.append("Masar exported this file: its steps keep their figures. Check:")
            if !added.isEmpty {
                header.append("  - steps added in another tool (in person, duration 0 until set): \(added.joined(separator: ", "))")
            }
            header.append("  - entity (the pool's name), and branch probabilities where branches changed")
        } else {
            header += [
                "BPMN holds no channel, fee or effort, and its tasks no duration. Check and complete:",
                "  - entity (\(process.pool == nil ? "a placeholder" : "the pool's name")), sector (placeholder 'unassigned'), annual_volume (0), life_events",
                "  - on every step: channel (set to in-person; waits to automatic), duration (set to 0 except waits), effort, fee, documents, produces",
                "  - branch probabilities: none given, so each branch is taken equally often",
                "  - titles: BPMN names have one language; add the other",
            ]
        }
        if !imported.warnings.isEmpty {
            header.append("Warnings:")
            header += imported.warnings.map { "  - " + $0 }
        }
        return MapWriter(header: header, stepComments: comments).write(imported.map)
    }

    /// Step ids: the BPMN id when it already reads as one, else made from the name, unique.
    private func stepIDs(_ nodes: [FlowNode]) -> [String: String] {
        var ids: [String: String] = [:]
        var used: Set<String> = []
        for node in nodes {
            let candidate: String
            if Slug.isReadable(node.id) {
                candidate = node.id
            } else if !Slug.make(node.name).isEmpty {
                candidate = Slug.make(node.name)
            } else {
                candidate = Slug.make(node.id).isEmpty ? "step" : Slug.make(node.id)
            }
            let id = Slug.unique(candidate, among: used)
            used.insert(id)
            ids[node.id] = id
        }
        return ids
    }

    /// Steps in the order a citizen meets them (breadth first from the entry). A step the flow
    /// never reaches, or one from which no end can be reached, is refused here in BPMN's terms
    /// (the loader would say the same of the map, in the map's).
    private func walkOrder(from entry: String, steps: [String: Step], ids: [String: String],
                           budget: WorkBudget) throws(BPMNFailure) -> [String] {
        let byStepID = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
        var order = [entry]
        var seen: Set<String> = [entry]
        var index = 0
        while index < order.count {
            for edge in steps[order[index]]!.next {
                let node = byStepID[edge.to]!
                if seen.insert(node).inserted { order.append(node) }
            }
            index += 1
        }
        if let lost = process.nodes.first(where: { $0.kind.isStep && !seen.contains($0.id) }) {
            throw BPMNFailure(line: lost.line, message: "'\(label(lost))' cannot be reached from the start of process '\(process.displayName)'",
                              arabic: "لا يمكن بلوغ '\(label(lost))' من بداية العملية '\(process.displayName)'")
        }
        // Walking the flow backwards from the end steps finds every step that can finish.
        var before: [String: [String]] = [:]
        for id in order {
            for edge in steps[id]!.next { before[byStepID[edge.to]!, default: []].append(id) }
        }
        let ends = order.filter { steps[$0]!.isEnd }
        let leadsToEnd = Set(ends).union(try Reachability.reachable(from: ends, budget: budget) { before[$0] ?? [] })
        if let trapped = order.first(where: { !leadsToEnd.contains($0) }), let node = nodesByID[trapped] {
            throw BPMNFailure(line: node.line, message:
                "from '\(label(node))' the flow never reaches an end: it loops with no way out in process '\(process.displayName)'",
                arabic: "لا يبلغ التدفق من '\(label(node))' أي نهاية: فهو يدور في حلقة لا مخرج منها في العملية '\(process.displayName)'")
        }
        return order
    }

    /// A step with the figures Masar's export kept, or else the import's defaults: in person
    /// and no duration for an activity, automatic and the timer's duration for a wait.
    private func step(_ node: FlowNode, id: String, next: [Transition]) -> Step {
        let actor = actor(of: node)
        guard let figures = node.figures else {
            return Step(id: id, title: title(node), actor: actor, channel: node.kind == .activity ? .inPerson : .automatic,
                        duration: waiting(node) ?? 0, next: next)
        }
        return Step(id: id, title: title(node), actor: actor, channel: figures.channel, duration: figures.duration,
                    effort: figures.effort, fee: figures.fee, documents: figures.documents, produces: figures.produces,
                    next: next)
    }

    /// Masar's titles in both languages, unless another tool renamed the task since.
    private func title(_ node: FlowNode) -> LocalizedText {
        if let titles = node.titles, node.name.isEmpty || node.name == titles.en ?? titles.ar { return titles }
        if !node.name.isEmpty { return LocalizedText(detecting: node.name) }
        if let wait = waiting(node) { return LocalizedText(en: "Wait \(MapWriter.duration(wait))") }
        return LocalizedText(en: "Untitled \(node.element) \(node.id)")
    }

    private func label(_ node: FlowNode) -> String {
        node.name.isEmpty ? node.id : node.name
    }

    private func waiting(_ node: FlowNode) -> Minutes? {
        if case .intermediate(let wait) = node.kind { return wait }
        return nil
    }

    /// The actor of a step: its innermost lane (by reference, else by where the diagram draws
    /// it), the lane of the subprocess it sits in, the pool, or the process itself.
    private func actor(of node: FlowNode) -> String {
        var current: FlowNode? = node
        var found: String?
        while let candidate = current, found == nil {
            found = Self.innermost(process.lanes, holding: candidate.id, bounds: document.bounds)
            current = candidate.parent.flatMap { nodesByID[$0] }
        }
        let actor = found ?? node.pool ?? (process.name.isEmpty ? "To be set" : process.name)
        return Self.citizenNames.contains(actor.lowercased()) ? "citizen" : actor
    }

    /// Lanes and pools that stand for the citizen, whose steps the metrics treat apart.
    static let citizenNames: Set<String> = ["citizen", "the citizen", "citizens", "المواطن", "مواطن"]

    private static func innermost(_ lanes: [Lane], holding id: String, bounds: [String: BandLayout.Rect]) -> String? {
        for lane in lanes {
            if let inner = innermost(lane.children, holding: id, bounds: bounds) { return inner }
            let byReference = lane.nodes.contains(id)
            let byDrawing = lane.nodes.isEmpty
                && (bounds[lane.id].flatMap { box in bounds[id].map(box.containsCentre) } ?? false)
            if byReference || byDrawing, !lane.name.isEmpty { return lane.name }
        }
        return nil
    }
}
