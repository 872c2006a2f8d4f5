import Foundation
import MasarCore
import Testing
@testable import MasarBPMN

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The bundled catalogue, found from this file: Tests/MasarBPMNTests/ → the package.
private let catalogue = try! Catalogue.load([
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Services").path,
])

/// Every path of the catalogue, by service id and path kind.
private let paths: [String] = catalogue.services.flatMap { map in
    PathKind.allCases.filter { map.path($0) != nil }.map { "\(map.id)/\($0.rawValue)" }
}

private func path(_ name: String) -> (ServiceMap, PathKind, ServicePath) {
    let parts = name.split(separator: "/").map(String.init)
    let map = catalogue.services.first { $0.id == parts[0] }!
    let kind = PathKind(rawValue: parts[1])!
    return (map, kind, map.path(kind)!)
}

@Suite struct ExportTests {
    @Test func theCatalogueHasPathsToExport() {
        #expect(paths.count >= 30)
    }

    /// Exported, then imported: the same service, steps (ids, both titles, every figure),
    /// actors and flow from the same entry, each branch's condition and probability — and so
    /// the same figures.
    @Test(arguments: paths)
    func everyCatalogueExportImportsBackTheSame(_ name: String) throws {
        let (map, kind, original) = path(name)
        let xml = try BPMNExport.xml(map, path: kind)
        let result = BPMNImport.read(Data(xml.utf8), file: "\(map.id).bpmn")
        #expect(result.refused.isEmpty, "\(result.refused)")
        let imported = try #require(result.imported.first).map
        #expect(result.imported.count == 1)
        // A future path comes back as a map of its own, so it cannot overwrite the service's file.
        #expect(imported.id == (kind == .future ? map.id + "-future" : map.id))
        #expect(imported.title == map.title && imported.entity == map.entity)
        #expect(imported.sector == map.sector && imported.annualVolume == map.annualVolume && imported.lifeEvents == map.lifeEvents)
        let back = imported.current
        #expect(back.entry == original.entry)
        #expect(Set(back.steps.map(\.id)) == Set(original.steps.map(\.id)))
        for step in original.steps {
            let other = try #require(back.step(step.id))
            #expect(other.title == step.title, "\(name) \(step.id)")
            #expect(other.actor == step.actor, "\(name) \(step.id)")
            #expect(other.channel == step.channel && other.duration == step.duration && other.effort == step.effort
                    && other.fee == step.fee && other.documents == step.documents && other.produces == step.produces,
                    "\(name) \(step.id)")
            #expect(Set(other.next.map(\.to)) == Set(step.next.map(\.to)), "\(name) \(step.id)")
            if step.next.count > 1 {
                // BPMN conditions sit on branches; a lone edge's `when` has no gateway to hold it.
                for edge in step.next {
                    let twin = other.next.first { $0.to == edge.to }
                    #expect(twin?.when == edge.when && twin?.probability == edge.probability, "\(name) \(step.id) → \(edge.to)")
                }
            }
        }
        let before = original.metrics(annualVolume: map.annualVolume)
        let after = back.metrics(annualVolume: imported.annualVolume)
        for (figure, a, b) in [("visits", before.visits, after.visits), ("handoffs", before.handoffs, after.handoffs),
                               ("elapsed", before.elapsedMinutes, after.elapsedMinutes),
                               ("cost", before.citizenCostBaisa, after.citizenCostBaisa),
                               ("burden", before.annualBurdenBaisa, after.annualBurdenBaisa)] {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "\(name): \(figure) \(a) became \(b)")
        }
        #expect(before.documents == after.documents && before.institutions == after.institutions)
    }

    /// A step another tool added has no figures: it gets the import's defaults and is named at
    /// the top of the file; the rest keep theirs.
    @Test func stepsAddedInAnotherToolAreNamedForChecking() throws {
        let (map, _, _) = path("birth-registration/current")
        let xml = try BPMNExport.xml(map, path: .current)
            .replacingOccurrences(of: "<bpmn:endEvent id=\"EndEvent_6\"", with: "<bpmn:task id=\"Task_new\" name=\"Courier the certificate\"/>\n<bpmn:endEvent id=\"EndEvent_6\"")
            .replacingOccurrences(of: "targetRef=\"EndEvent_6\"", with: "targetRef=\"Task_new\"/>\n<bpmn:sequenceFlow id=\"Flow_new\" sourceRef=\"Task_new\" targetRef=\"EndEvent_6\"")
            .replacingOccurrences(of: "name=\"Pay the birth certificate fee\"", with: "name=\"Pay the fee online\"")
        let imported = try #require(BPMNImport.read(Data(xml.utf8), file: "edited.bpmn").imported.first)
        #expect(imported.yaml.contains("#   - steps added in another tool (in person, duration 0 until set): 'Courier the certificate'"))
        let added = try #require(imported.map.current.step("courier-the-certificate"))
        #expect(added.channel == .inPerson && added.duration == 0)
        #expect(imported.map.current.step("issue-certificate")?.next.map(\.to) == ["courier-the-certificate"])
        #expect(imported.map.current.step("issue-certificate")?.duration == map.current.step("issue-certificate")?.duration)
        // Renamed in the other tool: the new name wins over the title Masar kept.
        #expect(imported.map.current.step("pay-fee")?.title == LocalizedText(en: "Pay the fee online"))
        #expect(imported.map.current.step("pay-fee")?.fee == map.current.step("pay-fee")?.fee)
    }

    /// What bpmn.io and other tools need to draw the file: BPMN's namespaces, unique ids,
    /// references that resolve, a shape or edge for every element, and each task in its lane.
    @Test(arguments: paths)
    func everyExportHasDiagramInterchangeForEveryElement(_ name: String) throws {
        let (map, kind, original) = path(name)
        let document = try ExportedDocument(BPMNExport.xml(map, path: kind))
        #expect(document.root.name == "definitions" && document.root.namespace == BPMNNamespace.model)
        let ids = document.all.compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count, "duplicate ids in \(name)")

        let semantic = document.all.filter { $0.namespace == BPMNNamespace.model }
        let drawable = semantic.filter {
            ["participant", "lane", "startEvent", "endEvent", "task", "exclusiveGateway", "sequenceFlow"].contains($0.name)
        }
        let shapes = document.all.filter { $0.name == "BPMNShape" && $0.namespace == BPMNNamespace.di }
        let edges = document.all.filter { $0.name == "BPMNEdge" && $0.namespace == BPMNNamespace.di }
        #expect(Set(drawable.map { $0.attributes["id"]! }) == Set((shapes + edges).map { $0.attributes["bpmnElement"]! }))
        #expect(semantic.filter { $0.name == "task" }.count == original.steps.count)
        #expect(Set(semantic.filter { $0.name == "lane" }.map { $0.attributes["name"]! }) == Set(original.steps.map(\.actor)))

        let known = Set(ids)
        for flow in semantic where flow.name == "sequenceFlow" {
            #expect(known.contains(flow.attributes["sourceRef"]!) && known.contains(flow.attributes["targetRef"]!))
        }
        for edge in edges {
            let points = edge.children.filter { $0.name == "waypoint" && $0.namespace == BPMNNamespace.ddi }
            #expect(points.count >= 2)
        }
        let bounds = Dictionary(uniqueKeysWithValues: shapes.map { shape in
            let box = shape.children.first { $0.name == "Bounds" && $0.namespace == BPMNNamespace.dc }!
            let value = { (key: String) in Double(box.attributes[key]!)! }
            return (shape.attributes["bpmnElement"]!, (x: value("x"), y: value("y"), w: value("width"), h: value("height")))
        })
        for lane in semantic where lane.name == "lane" {
            let band = bounds[lane.attributes["id"]!]!
            for reference in lane.children where reference.name == "flowNodeRef" {
                let box = bounds[reference.text]!
                #expect(box.x >= band.x && box.x + box.w <= band.x + band.w
                        && box.y >= band.y && box.y + box.h <= band.y + band.h, "\(name): \(reference.text) outside its lane")
            }
        }
        // No two tasks drawn on top of each other.
        let tasks = semantic.filter { $0.name == "task" }.map { bounds[$0.attributes["id"]!]! }
        for (i, a) in tasks.enumerated() {
            for b in tasks[(i + 1)...] {
                #expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, "\(name): overlap")
            }
        }
    }

    @Test func hostileTitlesAreEscapedAndComeBackWhole() throws {
        let title = "Pay <b>now</b> & \"sign\" 'here' ]]> \u{7}"
        let map = ServiceMap(id: "hostile", title: LocalizedText(en: "<x>"), entity: "A & B <Ministry>", sector: "s",
                             current: ServicePath(steps: [
                                 Step(id: "a", title: LocalizedText(en: title, ar: "ادفع & وقّع"), actor: "Clerk\n\"1\"",
                                      channel: .online, duration: 10, next: [Transition(to: "b", when: "if <ok> & \"fine\""),
                                                                               Transition(to: "a", when: "again")]),
                                 Step(id: "b", title: LocalizedText(en: "Done"), actor: "Clerk\n\"1\"", channel: .online, duration: 1),
                             ]))
        let xml = try BPMNExport.xml(map, path: .current)
        _ = try ExportedDocument(xml)
        let back = try #require(BPMNImport.read(Data(xml.utf8), file: "h.bpmn").imported.first).map
        #expect(back.entity == "A & B <Ministry>")
        // Names fold line breaks and drop control characters, as BPMN tools write them.
        #expect(back.current.steps[0].title == LocalizedText(en: "Pay <b>now</b> & \"sign\" 'here' ]]>", ar: "ادفع & وقّع"))
        #expect(back.current.steps[0].actor == "Clerk \"1\"")
        #expect(back.current.steps[0].next == [Transition(to: "b", when: "if <ok> & \"fine\""), Transition(to: "a", when: "again")])
    }
}

/// An exported file parsed by the test itself with Foundation's parser: well-formedness and
/// namespaces as any XML tool sees them.
private struct ExportedDocument {
    let root: ReferenceModel.Element
    let all: [ReferenceModel.Element]

    init(_ xml: String) throws {
        let reader = ReferenceModel.ElementReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        try #require(parser.parse() && parser.parserError == nil, "the export is not well-formed XML")
        root = try #require(reader.root)
        var all: [ReferenceModel.Element] = []
        func walk(_ element: ReferenceModel.Element) {
            all.append(element)
            element.children.forEach(walk)
        }
        walk(root)
        self.all = all
    }
}
