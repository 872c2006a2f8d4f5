import ArgumentParser

/// `masar`: service-redesign labs from the terminal.
@main
struct Masar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "masar",
        abstract: "Map public services, measure their journeys and compare redesigns (مسار).",
        discussion: """
            A service map is a YAML file with the current path of a public service and, once \
            designed, its future path. Exit codes: 0 ok, 1 invalid input, 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [Validate.self, Metrics.self, Compare.self, Bundle.self, Render.self, Demo.self,
                      Phase.self, Lab.self, Service.self, PainPoint.self, Improvement.self, Review.self, SignOff.self,
                      Log.self, Document.self, Backup.self, Export.self, Import.self, RenderWorker.self])
}
