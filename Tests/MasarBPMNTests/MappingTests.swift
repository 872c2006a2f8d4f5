import Foundation
import MasarCore
import Testing
@testable import MasarBPMN

/// Each rule of the BPMN mapping, on small models written here by hand.
@Suite struct MappingTests {
    /// A BPMN file around `body` (the inside of `<definitions>`), with the given prefix.
    static func bpmn(_ body: String, prefix: String = "bpmn", encoding: String = "UTF-8") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let declaration = prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)"
        let tagged = body.replacingOccurrences(of: "<", with: "<\(p)").replacingOccurrences(of: "<\(p)/", with: "</\(p)")
            .replacingOccurrences(of: "<\(p)di:", with: "<bpmndi:").replacingOccurrences(of: "</\(p)di:", with: "</bpmndi:")
            .replacingOccurrences(of: "<\(p)dc:", with: "<dc:")
        return """
            <?xml version="1.0" encoding="\(encoding)"?>
            <\(p)definitions \(declaration)="http://www.omg.org/spec/BPMN/20100524/MODEL" \
            xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d">
            \(tagged)
            </\(p)definitions>
            """
    }

    static func read(_ text: String, file: String = "model.bpmn", encoding: String.Encoding = .utf8) -> BPMNImport.FileImport {
        BPMNImport.read(text.data(using: encoding)!, file: file)
    }

    static func only(_ text: String) throws -> BPMNImport.ImportedProcess {
        let result = read(text)
        #expect(result.refused.isEmpty, "\(result.refused)")
        return try #require(result.imported.first)
    }

    static let straight = """
        <process id="p" name="Renew a licence">
          <startEvent id="s"/>
          <userTask id="apply" name="Apply&#10;online"/>
          <serviceTask id="Task_0x1" name="Check the file"/>
          <endEvent id="e"/>
          <sequenceFlow id="f1" sourceRef="s" targetRef="apply"/>
          <sequenceFlow id="f2" sourceRef="apply" targetRef="Task_0x1"/>
          <sequenceFlow id="f3" sourceRef="Task_0x1" targetRef="e"/>
        </process>
        """

    @Test func tasksBecomeStepsInFlowOrderWithFoldedTitlesAndTheirSource() throws {
        let imported = try Self.only(Self.bpmn(Self.straight))
        let steps = imported.map.current.steps
        #expect(steps.map(\.id) == ["apply", "check-the-file"])
        #expect(steps.map(\.title.en) == ["Apply online", "Check the file"])
        #expect(steps[0].next.map(\.to) == ["check-the-file"])
        #expect(steps[1].isEnd)
        #expect(steps.allSatisfy { $0.channel == .inPerson && $0.duration == 0 })
        #expect(imported.sources == ["apply": "apply", "check-the-file": "Task_0x1"])
        #expect(imported.map.id == "model-renew-a-licence")
        #expect(imported.yaml.contains("# BPMN serviceTask 'Task_0x1'\n    - id: check-the-file"))
        #expect(imported.yaml.hasPrefix("# Imported by `masar import-bpmn` from model.bpmn"))
        #expect(imported.yaml.contains("on every step: channel (set to in-person"))
    }

    @Test func everyNamespacePrefixReadsTheSame() throws {
        let maps = try ["bpmn", "bpmn2", "semantic", ""].map { try Self.only(Self.bpmn(Self.straight, prefix: $0)).map }
        #expect(maps.allSatisfy { $0 == maps[0] })
    }

    @Test func isoLatin1FilesAreReadAsDeclared() throws {
        let text = Self.bpmn(Self.straight.replacingOccurrences(of: "Check the file", with: "Vérifier le dossier"),
                             encoding: "ISO-8859-1")
        let imported = try #require(Self.read(text, encoding: .isoLatin1).imported.first)
        #expect(imported.map.current.steps[1].title.en == "Vérifier le dossier")
        #expect(imported.map.current.steps[1].id == "verifier-le-dossier")
    }

    @Test func arabicNamesBecomeArabicTitles() throws {
        let text = Self.bpmn(Self.straight.replacingOccurrences(of: "Check the file", with: "تدقيق الملف"))
        let step = try Self.only(text).map.current.steps[1]
        #expect(step.title == LocalizedText(ar: "تدقيق الملف"))
        #expect(step.id == "task-0x1")
        // No Latin letter in the file's name or the process's: the map still gets an id.
        let arabic = Self.bpmn(Self.straight.replacingOccurrences(of: "Renew a licence", with: "تجديد الرخصة"))
        #expect(Self.read(arabic, file: "تجديد.bpmn").imported.first?.map.id == "process")
    }

    /// Ids a tool generated (`Activity_1`) give way to the name; ids a person chose are kept.
    @Test func callActivitiesAndCollapsedSubprocessesAreStepsWithUniqueIDs() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/>
              <callActivity id="Activity_1" name="Review"/>
              <subProcess id="Activity_2" name="Review">
                <startEvent id="is"/><task id="hidden" name="Inside"/><sequenceFlow id="if" sourceRef="is" targetRef="hidden"/>
              </subProcess>
              <sequenceFlow id="f1" sourceRef="s" targetRef="Activity_1"/>
              <sequenceFlow id="f2" sourceRef="Activity_1" targetRef="Activity_2"/>
            </process>
            <di:BPMNDiagram><di:BPMNPlane><di:BPMNShape bpmnElement="Activity_2" isExpanded="false"/></di:BPMNPlane></di:BPMNDiagram>
            """)
        let imported = try Self.only(text)
        #expect(imported.map.current.steps.map(\.id) == ["review", "review-2"])
        #expect(imported.sources == ["review": "Activity_1", "review-2": "Activity_2"])
    }

    @Test func expandedSubprocessesAreInlined() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/>
              <task id="a" name="A"/>
              <subProcess id="sub" name="Checks">
                <startEvent id="is"/><task id="x" name="X"/><task id="y" name="Y"/><endEvent id="ie"/>
                <sequenceFlow id="i1" sourceRef="is" targetRef="x"/>
                <sequenceFlow id="i2" sourceRef="x" targetRef="y"/>
                <sequenceFlow id="i3" sourceRef="y" targetRef="ie"/>
              </subProcess>
              <task id="b" name="B"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
              <sequenceFlow id="f2" sourceRef="a" targetRef="sub"/>
              <sequenceFlow id="f3" sourceRef="sub" targetRef="b"/>
            </process>
            """)
        let steps = try Self.only(text).map.current.steps
        #expect(steps.map(\.id) == ["a", "x", "y", "b"])
        #expect(steps.map { $0.next.map(\.to) } == [["x"], ["y"], ["b"], []])
    }

    @Test func nestedLanesNameTheActorAndLanesWithoutReferencesUseTheDiagram() throws {
        let text = Self.bpmn("""
            <collaboration id="c"><participant id="pool" name="Ministry" processRef="p"/></collaboration>
            <process id="p">
              <laneSet id="ls">
                <lane id="l1" name="Front office">
                  <childLaneSet id="cls">
                    <lane id="l11" name="Reception"><flowNodeRef>a</flowNodeRef></lane>
                    <lane id="l12" name="Cashier"><flowNodeRef>b</flowNodeRef></lane>
                  </childLaneSet>
                </lane>
                <lane id="l2" name="Back office"/>
              </laneSet>
              <startEvent id="s"/><task id="a" name="A"/><task id="b" name="B"/><task id="c" name="C"/><task id="d" name="D"/>
              <sequenceFlow id="f0" sourceRef="s" targetRef="a"/>
              <sequenceFlow id="f1" sourceRef="a" targetRef="b"/>
              <sequenceFlow id="f2" sourceRef="b" targetRef="c"/>
              <sequenceFlow id="f3" sourceRef="c" targetRef="d"/>
            </process>
            <di:BPMNDiagram><di:BPMNPlane>
              <di:BPMNShape bpmnElement="l2"><dc:Bounds x="0" y="200" width="600" height="100"/></di:BPMNShape>
              <di:BPMNShape bpmnElement="c"><dc:Bounds x="100" y="220" width="100" height="60"/></di:BPMNShape>
              <di:BPMNShape bpmnElement="d"><dc:Bounds x="100" y="400" width="100" height="60"/></di:BPMNShape>
            </di:BPMNPlane></di:BPMNDiagram>
            """)
        let imported = try Self.only(text)
        #expect(imported.map.current.steps.map(\.actor) == ["Reception", "Cashier", "Back office", "Ministry"])
        #expect(imported.map.entity == "Ministry")
        #expect(imported.map.id == "model-ministry")
    }

    @Test func aCitizenLaneIsTheCitizen() throws {
        let text = Self.bpmn("""
            <collaboration id="c"><participant id="pool" name="المواطن" processRef="p"/></collaboration>
            \(Self.straight)
            """)
        #expect(try Self.only(text).map.current.steps.map(\.actor) == ["citizen", "citizen"])
    }

    @Test func thePoolIsTheActorWhenThereAreNoLanes() throws {
        let text = Self.bpmn("""
            <collaboration id="c"><participant id="pool" name="Civil Status" processRef="p"/></collaboration>
            \(Self.straight)
            """)
        #expect(try Self.only(text).map.current.steps.map(\.actor) == ["Civil Status", "Civil Status"])
    }

    static let decision = """
        <process id="p">
          <startEvent id="s"/>
          <task id="check" name="Check"/>
          <exclusiveGateway id="g" name="Complete?" default="f-default"/>
          <task id="approve" name="Approve"/>
          <task id="ask" name="Ask for papers"/>
          <task id="refuse" name="Refuse"/>
          <endEvent id="e"/>
          <sequenceFlow id="f1" sourceRef="s" targetRef="check"/>
          <sequenceFlow id="f2" sourceRef="check" targetRef="g"/>
          <sequenceFlow id="f-default" sourceRef="g" targetRef="approve"/>
          <sequenceFlow id="f3" sourceRef="g" targetRef="ask" name="papers&#10;missing">
            <conditionExpression>${missing}</conditionExpression>
          </sequenceFlow>
          <sequenceFlow id="f4" sourceRef="g" targetRef="refuse"><conditionExpression>${fraud == true}</conditionExpression></sequenceFlow>
          <sequenceFlow id="f5" sourceRef="ask" targetRef="check"/>
          <sequenceFlow id="f6" sourceRef="approve" targetRef="e"/>
          <sequenceFlow id="f7" sourceRef="refuse" targetRef="e"/>
        </process>
        """

    @Test func exclusiveGatewaysBecomeBranchesNamedByFlowOrConditionWithTheDefaultUnconditioned() throws {
        let check = try Self.only(Self.bpmn(Self.decision)).map.current.steps[0]
        #expect(check.next == [
            Transition(to: "approve"),
            Transition(to: "ask", when: "papers missing"),
            Transition(to: "refuse", when: "${fraud == true}"),
        ])
    }

    @Test(arguments: ["inclusiveGateway", "complexGateway"])
    func otherChoosingGatewaysAreBranchesToo(_ kind: String) throws {
        let text = Self.bpmn(Self.decision.replacingOccurrences(of: "exclusiveGateway", with: kind))
        #expect(try Self.only(text).map.current.steps[0].next.map(\.to) == ["approve", "ask", "refuse"])
    }

    @Test func eventBasedGatewaysBranchOnTheEventsNames() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/><task id="send" name="Send the form"/>
              <eventBasedGateway id="g"/>
              <intermediateCatchEvent id="m" name="Reply received"><messageEventDefinition/></intermediateCatchEvent>
              <intermediateCatchEvent id="t" name="No reply in a week"><timerEventDefinition><timeDate>2026-01-01</timeDate></timerEventDefinition></intermediateCatchEvent>
              <task id="file" name="File the reply"/><task id="remind" name="Send a reminder"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="send"/>
              <sequenceFlow id="f2" sourceRef="send" targetRef="g"/>
              <sequenceFlow id="f3" sourceRef="g" targetRef="m"/>
              <sequenceFlow id="f4" sourceRef="g" targetRef="t"/>
              <sequenceFlow id="f5" sourceRef="m" targetRef="file"/>
              <sequenceFlow id="f6" sourceRef="t" targetRef="remind"/>
            </process>
            """)
        #expect(try Self.only(text).map.current.steps[0].next == [
            Transition(to: "file", when: "Reply received"), Transition(to: "remind", when: "No reply in a week"),
        ])
    }

    @Test func parallelBranchesRunOneAfterAnotherWithAWarningThatNamesThem() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/><task id="a" name="Apply"/>
              <parallelGateway id="fork" name="Checks"/>
              <task id="b" name="Police check"/><task id="c" name="Health check"/><task id="c2" name="Health report"/>
              <parallelGateway id="join"/>
              <task id="d" name="Decide"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
              <sequenceFlow id="f2" sourceRef="a" targetRef="fork"/>
              <sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
              <sequenceFlow id="f4" sourceRef="fork" targetRef="c"/>
              <sequenceFlow id="f5" sourceRef="b" targetRef="join"/>
              <sequenceFlow id="f6" sourceRef="c" targetRef="c2"/>
              <sequenceFlow id="f7" sourceRef="c2" targetRef="join"/>
              <sequenceFlow id="f8" sourceRef="join" targetRef="d"/>
            </process>
            """)
        let imported = try Self.only(text)
        #expect(imported.map.current.steps.map { "\($0.id)→\($0.next.map(\.to))" }
            == ["a→[\"b\"]", "b→[\"c\"]", "c→[\"c2\"]", "c2→[\"d\"]", "d→[]"])
        #expect(imported.warnings.contains {
            $0.contains("parallel gateway 'Checks'") && $0.contains("'Police check', 'Health check' are made sequential")
                && $0.contains("elapsed time is overstated")
        })
        #expect(imported.yaml.contains("#   - parallel gateway 'Checks'"))
    }

    @Test func timerEventsWithADurationAreWaitingSteps() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/><task id="a" name="Apply"/>
              <intermediateCatchEvent id="Event_1" name="Cooling-off period">
                <timerEventDefinition><timeDuration>P1DT2H30M</timeDuration></timerEventDefinition>
              </intermediateCatchEvent>
              <intermediateCatchEvent id="w2"><timerEventDefinition><timeDuration>PT45M</timeDuration></timerEventDefinition></intermediateCatchEvent>
              <task id="b" name="Collect"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
              <sequenceFlow id="f2" sourceRef="a" targetRef="Event_1"/>
              <sequenceFlow id="f3" sourceRef="Event_1" targetRef="w2"/>
              <sequenceFlow id="f4" sourceRef="w2" targetRef="b"/>
            </process>
            """)
        let steps = try Self.only(text).map.current.steps
        #expect(steps.map(\.id) == ["a", "cooling-off-period", "w2", "b"])
        #expect(steps.map(\.duration) == [0, 1440 + 150, 45, 0])
        #expect(steps[2].title.en == "Wait 45m")
        #expect(steps[1].channel == .automatic)
    }

    @Test func boundaryEventsBranchFromTheirTask() throws {
        let text = Self.bpmn("""
            <process id="p">
              <startEvent id="s"/><task id="a" name="Inspect"/><task id="b" name="Issue"/><task id="x" name="Escalate"/>
              <boundaryEvent id="late" name="Overdue" attachedToRef="a"><timerEventDefinition/></boundaryEvent>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
              <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
              <sequenceFlow id="f3" sourceRef="late" targetRef="x"/>
              <sequenceFlow id="f4" sourceRef="x" targetRef="b"/>
            </process>
            """)
        #expect(try Self.only(text).map.current.steps[0].next == [Transition(to: "b"), Transition(to: "x", when: "Overdue")])
    }

    @Test func messageFlowsBetweenPoolsAreNotedOnTheirSteps() throws {
        let text = Self.bpmn("""
            <collaboration id="c">
              <participant id="pc" name="Citizen" processRef="pc-p"/><participant id="pm" name="Ministry" processRef="pm-p"/>
              <messageFlow id="m1" sourceRef="send" targetRef="receive"/>
            </collaboration>
            <process id="pc-p"><startEvent id="s1"/><sendTask id="send" name="Send the request"/>
              <sequenceFlow id="f1" sourceRef="s1" targetRef="send"/></process>
            <process id="pm-p"><startEvent id="s2"/><receiveTask id="receive" name="Receive the request"/>
              <sequenceFlow id="f2" sourceRef="s2" targetRef="receive"/></process>
            """)
        let result = Self.read(text)
        #expect(result.imported.map(\.map.id) == ["model-citizen", "model-ministry"])
        #expect(result.imported[0].yaml.contains("# BPMN sendTask 'send'; sends a message to 'Receive the request' in process 'Ministry'"))
        #expect(result.imported[1].yaml.contains("receives a message from 'Send the request' in process 'Citizen'"))
    }

    static let citizenAndMinistry = """
        <collaboration id="c">
          <participant id="pc" name="Citizen" processRef="pc-p"/><participant id="pm" name="Housing Ministry" processRef="pm-p"/>
          <messageFlow id="m1" name="application" sourceRef="submit" targetRef="ms"/>
          <messageFlow id="m2" sourceRef="decide" targetRef="receive"/>
        </collaboration>
        <process id="pc-p"><startEvent id="cs"/><sendTask id="submit" name="Submit the application"/>
          <receiveTask id="receive" name="Receive the decision"/><endEvent id="ce"/>
          <sequenceFlow id="c1" sourceRef="cs" targetRef="submit"/><sequenceFlow id="c2" sourceRef="submit" targetRef="receive"/>
          <sequenceFlow id="c3" sourceRef="receive" targetRef="ce"/></process>
        <process id="pm-p"><startEvent id="ms"><messageEventDefinition/></startEvent>
          <task id="review" name="Review the application"/><sendTask id="decide" name="Send the decision"/><endEvent id="me"/>
          <sequenceFlow id="m-1" sourceRef="ms" targetRef="review"/><sequenceFlow id="m-2" sourceRef="review" targetRef="decide"/>
          <sequenceFlow id="m-3" sourceRef="decide" targetRef="me"/></process>
        """

    /// Read as one service, the citizen's wait for the reply runs through the ministry's steps.
    @Test func joinedPoolsMakeMessageFlowsHandoffs() throws {
        let result = Self.read(Self.bpmn(Self.citizenAndMinistry), file: "housing.bpmn")
        #expect(result.imported.count == 2)
        let joined = BPMNImport.read(Data(Self.bpmn(Self.citizenAndMinistry).utf8), file: "housing.bpmn", joinPools: true)
        #expect(joined.refused.isEmpty, "\(joined.refused)")
        let map = try #require(joined.imported.first).map
        #expect(joined.imported.count == 1)
        #expect(map.id == "housing")
        #expect(map.current.steps.map { "\($0.id)→\($0.next.map(\.to))" }
            == ["submit→[\"review\"]", "review→[\"decide\"]", "decide→[\"receive\"]", "receive→[]"])
        #expect(map.current.steps.map(\.actor) == ["citizen", "Housing Ministry", "Housing Ministry", "citizen"])
        // Two handoffs, each walked once: citizen → ministry, ministry → citizen.
        #expect(map.current.metrics().handoffs == 2)
        #expect(joined.imported[0].warnings.isEmpty, "\(joined.imported[0].warnings)")
    }

    @Test func joinedPoolsThatStartApartAreRefused() {
        let apart = Self.citizenAndMinistry.replacingOccurrences(
            of: "<messageFlow id=\"m1\" name=\"application\" sourceRef=\"submit\" targetRef=\"ms\"/>", with: "")
        let joined = BPMNImport.read(Data(Self.bpmn(apart).utf8), file: "housing.bpmn", joinPools: true)
        #expect(joined.refused.first?.message
            == "process 'housing' begins at 2 tasks ('Submit the application', 'Review the application'); a Masar path has one entry — its pools start apart, so import them without --join-pools")
    }

    @Test func emptyPoolsAreSkippedAndAProcessWithoutTasksIsRefused() {
        let text = Self.bpmn("""
            <process id="black-box"/>
            <process id="p" name="Notify"><startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
            """)
        let result = Self.read(text, file: "A.1.0.bpmn")
        #expect(result.imported.isEmpty)
        #expect(result.skipped == ["process 'black-box' is empty (a pool drawn as a black box)"])
        #expect(result.refused.map(\.description) == ["A.1.0.bpmn:4: process 'Notify' has no task"])
    }

    @Test func aFlowPointingNowhereIsRefusedWithItsLine() {
        let text = Self.bpmn(Self.straight.replacingOccurrences(of: "targetRef=\"e\"", with: "targetRef=\"gone\""))
        #expect(Self.read(text).refused.map(\.description)
            == ["model.bpmn:10: sequence flow 'f3' points to 'gone', which is nowhere in process 'Renew a licence'"])
    }

    @Test func twoWaysInAreRefused() {
        let text = Self.bpmn("""
            <process id="p" name="Two doors"><startEvent id="s1"/><startEvent id="s2"/>
              <task id="a" name="A"/><task id="b" name="B"/>
              <sequenceFlow id="f1" sourceRef="s1" targetRef="a"/><sequenceFlow id="f2" sourceRef="s2" targetRef="b"/>
            </process>
            """)
        #expect(Self.read(text).refused.first?.message.hasPrefix("process 'Two doors' begins at 2 tasks ('A', 'B')") == true)
    }

    @Test func aLoopWithNoWayOutIsRefusedInBPMNTerms() {
        let text = Self.bpmn("""
            <process id="p" name="Forever"><startEvent id="s"/><task id="a" name="A"/><task id="b" name="B"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
              <sequenceFlow id="f3" sourceRef="b" targetRef="a"/></process>
            """)
        #expect(Self.read(text).refused.map(\.description)
            == ["model.bpmn:3: from 'A' the flow never reaches an end: it loops with no way out in process 'Forever'"])
    }

    @Test func aGatewayCircleWithoutTaskOrEndIsRefused() {
        let text = Self.bpmn("""
            <process id="p" name="Circle"><startEvent id="s"/><task id="a" name="A"/>
              <exclusiveGateway id="g1"/><exclusiveGateway id="g2"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="g1"/>
              <sequenceFlow id="f3" sourceRef="g1" targetRef="g2"/><sequenceFlow id="f4" sourceRef="g2" targetRef="g1"/></process>
            """)
        #expect(Self.read(text).refused.map(\.description)
            == ["model.bpmn:3: after 'A' the flow circles through gateways or events without reaching a task or an end"])
    }

    /// A check that sends the form back or accepts it: the commonest rework loop.
    static let checkOrEnd = """
        <process id="p" name="Apply"><startEvent id="s"/><task id="fill" name="Fill in the form"/>
          <task id="check" name="Check the form"/><exclusiveGateway id="g" name="Complete?"/>
          <endEvent id="done" name="Form accepted"/>
          <sequenceFlow id="f1" sourceRef="s" targetRef="fill"/><sequenceFlow id="f2" sourceRef="fill" targetRef="check"/>
          <sequenceFlow id="f3" sourceRef="check" targetRef="g"/>
          <sequenceFlow id="f4" sourceRef="g" targetRef="fill" name="no"/>
          <sequenceFlow id="f5" sourceRef="g" targetRef="done" name="yes"/></process>
        """

    /// The commonest rework loop: check, and either go back or finish. The finish becomes an
    /// end step of its own, so the path can end there.
    @Test func aStepThatCanAlsoEndGetsAnEndStep() throws {
        let text = Self.bpmn(Self.checkOrEnd)
        let imported = try Self.only(text)
        let steps = imported.map.current.steps
        #expect(steps.map(\.id) == ["fill", "check", "form-accepted"])
        #expect(steps[1].next == [Transition(to: "fill", when: "no"), Transition(to: "form-accepted", when: "yes")])
        #expect(steps[2].isEnd && steps[2].channel == .automatic && steps[2].duration == 0)
        #expect(steps[2].title == LocalizedText(en: "Form accepted"))
        #expect(imported.outcomes == ["form-accepted"])
        #expect(imported.sources["form-accepted"] == "done")
        // Half the checks send the form back: it is filled 2 times on average, checked 2 times.
        #expect(imported.map.current.metrics().visits == 4)
        #expect(imported.warnings.contains("'Check the form' (line 4) can end the process or go on: the end step 'form-accepted' stands for that end"))
    }

    @Test func linkEventsCarryTheFlowToTheirCatchingPair() throws {
        let text = Self.bpmn("""
            <process id="p"><startEvent id="s"/><task id="a" name="A"/>
              <intermediateThrowEvent id="out"><linkEventDefinition name="To page 2"/></intermediateThrowEvent>
              <intermediateCatchEvent id="in"><linkEventDefinition name="To page 2"/></intermediateCatchEvent>
              <task id="b" name="B"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="out"/>
              <sequenceFlow id="f3" sourceRef="in" targetRef="b"/></process>
            """)
        #expect(try Self.only(text).map.current.steps.map { "\($0.id)→\($0.next.map(\.to))" } == ["a→[\"b\"]", "b→[]"])
    }

    @Test func missingAndRepeatedIdsAreRefusedWithTheirLine() {
        let repeated = Self.bpmn(Self.straight.replacingOccurrences(of: "id=\"Task_0x1\"", with: "id=\"apply\""))
        #expect(Self.read(repeated).refused.map(\.description)
            == ["model.bpmn:6: id 'apply' is used again (first on line 5); each element needs its own"])
        let missing = Self.bpmn(Self.straight.replacingOccurrences(of: "<serviceTask id=\"Task_0x1\"", with: "<serviceTask"))
        #expect(Self.read(missing).refused.map(\.description) == ["model.bpmn:6: serviceTask has no id; each flow element needs one"])
        let noSource = Self.bpmn(Self.straight.replacingOccurrences(of: "sourceRef=\"apply\" ", with: ""))
        #expect(Self.read(noSource).refused.map(\.description) == ["model.bpmn:9: sequence flow 'f2' has no sourceRef"])
    }

    /// A map `masar validate` would refuse for its size is refused at import.
    @Test func aProcessTooLargeForOneMapIsRefused() {
        let count = 8_000
        var body = "<process id=\"p\" name=\"Huge\"><startEvent id=\"s\"/><sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"t0\"/>"
        for index in 0..<count {
            body += "<task id=\"t\(index)\" name=\"Task number \(index)\"/>"
            if index + 1 < count { body += "<sequenceFlow id=\"f\(index)\" sourceRef=\"t\(index)\" targetRef=\"t\(index + 1)\"/>" }
        }
        body += "</process>"
        let message = Self.read(Self.bpmn(body)).refused.first?.message ?? ""
        #expect(message.hasPrefix("process 'Huge' makes a map of "), "\(message)")
        #expect(message.hasSuffix("bytes, more than a map may hold (1 MiB); split it into smaller processes"))
    }

    /// A chain of thousands of gateways: read without exhausting the stack.
    @Test func longGatewayChainsAreWalkedWithoutRecursion() throws {
        let count = 20_000
        var body = "<process id=\"p\"><startEvent id=\"s\"/><task id=\"a\" name=\"A\"/><task id=\"b\" name=\"B\"/>"
        body += "<sequenceFlow id=\"f0\" sourceRef=\"s\" targetRef=\"a\"/><sequenceFlow id=\"fa\" sourceRef=\"a\" targetRef=\"g0\"/>"
        for index in 0..<count {
            body += "<exclusiveGateway id=\"g\(index)\"/>"
            body += "<sequenceFlow id=\"fg\(index)\" sourceRef=\"g\(index)\" targetRef=\"\(index + 1 < count ? "g\(index + 1)" : "b")\"/>"
        }
        body += "</process>"
        #expect(try Self.only(Self.bpmn(body)).map.current.steps.map(\.id) == ["a", "b"])
    }

    /// Parallel splits stacked to make the serialising walks explode are refused within a bound
    /// (a small one here, so the test is quick; the mechanism is the same).
    @Test func parallelSplitsBuiltToExplodeAreRefusedWithinABound() throws {
        let count = 300
        // Each split runs a task to an end of its own beside the next split: the branches never
        // meet, so each split's second branch is everything after it.
        var body = "<process id=\"p\" name=\"Tangle\"><startEvent id=\"s\"/><task id=\"t\" name=\"T\"/>"
        body += "<sequenceFlow id=\"f0\" sourceRef=\"s\" targetRef=\"t\"/><sequenceFlow id=\"f1\" sourceRef=\"t\" targetRef=\"p0\"/>"
        for index in 0..<count {
            body += "<parallelGateway id=\"p\(index)\"/><task id=\"x\(index)\" name=\"X\(index)\"/><endEvent id=\"e\(index)\"/>"
            body += "<sequenceFlow id=\"a\(index)\" sourceRef=\"p\(index)\" targetRef=\"x\(index)\"/>"
            body += "<sequenceFlow id=\"c\(index)\" sourceRef=\"x\(index)\" targetRef=\"e\(index)\"/>"
            if index + 1 < count { body += "<sequenceFlow id=\"b\(index)\" sourceRef=\"p\(index)\" targetRef=\"p\(index + 1)\"/>" }
        }
        body += "</process>"
        let document = try BPMNDocument(root: SafeXML.parse(Data(Self.bpmn(body).utf8)))
        var importer = ProcessImporter(document: document, process: document.processes[0], file: "tangle.bpmn", joinedPools: false)
        #expect(throws: BPMNFailure(line: 3, message: "the flow is too tangled to read within Masar's limits; split the model into smaller processes",
                                    arabic: "التدفق أشد تشابكًا من أن يُقرأ ضمن حدود «مسار»؛ قسّم النموذج إلى عمليات أصغر")) {
            importer.workLimit = 50_000
            _ = try importer.run(besides: [])
        }
        // The same model under the standard limit: 300 splits are well within it.
        importer.workLimit = WorkBudget.standard
        #expect(try importer.run(besides: []).map.current.steps.count == count + 1)
    }

    @Test func hostileNamesStayTextInTheYAML() throws {
        let hostile = "Pay&quot; fee: 5 ]} # &amp; \\ &#10;- id: injected"
        let text = Self.bpmn(Self.straight.replacingOccurrences(of: "Check the file", with: hostile))
        let imported = try Self.only(text)
        let reread = try MapLoader.parseService(imported.yaml)
        #expect(reread.current.steps.count == 2)
        #expect(reread.current.steps[1].title.en == "Pay\" fee: 5 ]} # & \\ - id: injected")
    }
}
