import Foundation
import MasarCore
import Testing
@testable import MasarBPMN

/// Shapes a reviewer built to break the import (`Cases/`): each map is written out here by
/// hand from the BPMN drawing, one `step→next` per step, with each branch's `when`.
@Suite struct EdgeCaseTests {
    static let folder = Bundle.module.url(forResource: "Cases", withExtension: nil)!

    private func flow(_ name: String, joinPools: Bool = false) throws -> (flow: [String], imported: BPMNImport.ImportedProcess) {
        let path = Self.folder.appendingPathComponent(name + ".bpmn").path
        let result = BPMNImport.read(files: [path], joinPools: joinPools)[0]
        #expect(result.refused.isEmpty, "\(result.refused)")
        let imported = try #require(result.imported.first)
        // The written YAML is what the facilitator gets: it must pass the loader.
        let map = try MapLoader.parseService(imported.yaml)
        return (map.current.steps.map { step in
            step.id + "→" + step.next.map { $0.to + ($0.when.map { "(\($0))" } ?? "") }.joined(separator: ",")
        }, imported)
    }

    /// A boundary event on a subprocess can fire during any step inside it, not before it starts.
    @Test func aSubprocessBoundaryBranchesFromEveryStepInside() throws {
        #expect(try flow("boundary_sub").flow == [
            "a→x", "x→y,z(Overdue),r(Fraud found)", "y→b,r(Fraud found)", "z→x,r(Fraud found)", "r→", "b→",
        ])
    }

    /// Link events without a name on their definition pair by the event's own name, and never
    /// across pools read as one.
    @Test func linkEventsPairByNameWithinTheirProcess() throws {
        #expect(try flow("link_noname").flow == ["a→x(approved · to X),y(refused · to Y)", "x→", "y→"])
        #expect(try flow("links_pools", joinPools: true).flow == ["a1→a2,b1", "a2→", "b1→b2", "b2→"])
    }

    @Test func aThrowingLinkWithoutItsPairIsRefusedByName() {
        let result = BPMNImport.read(files: [Self.folder.appendingPathComponent("link_orphan.bpmn").path])[0]
        #expect(result.refused.map(\.description) == ["link_orphan.bpmn:5: link event 'Page2' has no catching link event of that name to go on at"])
    }

    /// Parallel blocks joined in stages, met at a task, nested, or inside a rework loop run
    /// their branches in turn, with every task kept.
    @Test func parallelBranchesRunInTurnHoweverTheyJoin() throws {
        #expect(try flow("staged").flow == ["t0→a", "a→b", "b→c", "c→z", "z→"])
        #expect(try flow("three").flow == ["t0→a", "a→b", "b→c", "c→z", "z→"])
        #expect(try flow("meet_task").flow == ["a→b", "b→c", "c→d", "d→x", "x→"])
        #expect(try flow("nested2").flow == ["a→c", "c→d", "d→b", "b→e", "e→"])
        #expect(try flow("rework7").flow == [
            "a→b", "b→c1", "c1→c2", "c2→c3", "c3→c4", "c4→c5", "c5→c6", "c6→c7", "c7→d", "d→a(rework),done(accepted)", "done→",
        ])
    }

    /// Decisions in a row: each branch carries the names of every flow it took, and only the
    /// last hop decides whether it is the default.
    @Test func chainedDecisionsJoinTheirLabels() throws {
        #expect(try flow("nested_xor2").flow == ["chk→ap(valid · paid),pay(valid · unpaid),rf(invalid)", "ap→", "pay→ap", "rf→"])
    }

    /// Ends: an end reached from inside a subprocess is named from its end event; an end two
    /// tasks can reach is one end step, and the warning names both.
    @Test func endStepsStandForTheEndEventsTheyComeFrom() throws {
        let inside = try flow("sub_last")
        #expect(inside.flow == ["a→x", "x→x(again),inspected(fine)", "inspected→"])
        #expect(inside.imported.sources["inspected"] == "ie")
        #expect(!inside.imported.yaml.contains("#exit"))
        let shared = try flow("two_ends")
        #expect(shared.flow == ["a→b(errors),closed(approved)", "b→a(resubmitted),closed(applicant withdraws)", "closed→"])
        #expect(shared.imported.warnings.contains { $0.hasPrefix("'Check' (line 4), 'Fix' (line 4) can end the process or go on") })
        #expect(try flow("timer_loop").flow == ["a→w", "w→b", "b→w(not ready),ready(ready)", "ready→"])
    }

    @Test func compensationHandlersAreLeftOutWithAWarning() throws {
        let result = try flow("comp")
        #expect(!result.flow.contains { $0.hasPrefix("refund") })
        #expect(result.imported.warnings.contains("compensation handlers left out, as they run only to undo a step: 'Refund'"))
    }

    /// With pools read as one, a message into a subprocess enters the pool through it.
    @Test func aMessageIntoASubprocessEntersItsPool() throws {
        #expect(try flow("msg_sub", joinPools: true).flow.first == "submit→x")
    }
}
