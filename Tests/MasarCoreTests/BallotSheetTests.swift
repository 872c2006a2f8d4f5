import Testing
@testable import MasarCore

@Suite("Paper ballot sheets")
struct BallotSheetTests {
    @Test("Choices: numbers separated by ';', with =DOTS; the same number twice adds up")
    func choices() {
        #expect(BallotSheet.choices("3;5") == [3: 1, 5: 1])
        #expect(BallotSheet.choices("3=2; 5=1") == [3: 2, 5: 1])
        #expect(BallotSheet.choices("3=1;3=2") == [3: 3])
        #expect(BallotSheet.choices("") == nil)
        #expect(BallotSheet.choices("3;x") == nil)
        #expect(BallotSheet.choices("3=2=1") == nil)
    }

    @Test("A sheet names every bad row by its line and gives no ballot")
    func badRows() {
        let rows = #expect(throws: MapIssues.self) {
            try BallotSheet.read("code,choices\nAAAA2222,3\n,4\nBBBB3333,three\n", file: "s.csv")
        }
        #expect(rows?.issues == [MapIssue(file: "s.csv", line: 3, message: "expected CODE,CHOICES such as 9CMBAHWC,3;5"),
                                 MapIssue(file: "s.csv", line: 4, message: "expected CODE,CHOICES such as 9CMBAHWC,3;5")])
        let header = #expect(throws: MapIssues.self) { try BallotSheet.read("participant,choices\nAAAA2222,3\n", file: "s.csv") }
        #expect(header?.issues == [MapIssue(file: "s.csv", line: 1, message: "the columns must be code,choices")])
    }
}
