import ArgumentParser
import MasarCore

extension Masar {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check service maps and life events against every rule of the format.",
            discussion: """
                Problems are listed as FILE:LINE: step 'ID': message, all of a file at once. \
                Exits 1 when any file has a problem.
                """)

        @OptionGroup var input: MapPaths

        func run() throws {
            let catalogue = try loadCatalogue(input.paths)
            let mapped = catalogue.services.filter { $0.future == nil }.count
            Terminal.print("✓ \(catalogue.services.count) service maps (\(mapped) still being mapped) and "
                + "\(catalogue.lifeEvents.count) life events are valid.")
        }
    }
}
