import ArgumentParser

/// `masar`: service-redesign labs from the terminal.
@main
struct Masar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "masar",
        abstract: "Map public services, measure their journeys and compare redesigns (مسار).",
        discussion: """
            A service map is a YAML file with the current path of a public service and, once \
            designed, its future path. Exit codes: 0 ok, 1 invalid input, 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [RenderWorker.self],
        groupedSubcommands: [
            CommandGroup(name: "Service maps", subcommands: [Validate.self, Metrics.self, Compare.self, Bundle.self,
                                                              Render.self, Demo.self]),
            CommandGroup(name: "BPMN models", subcommands: [ImportBPMN.self, ExportBPMN.self]),
            CommandGroup(name: "Running a lab", subcommands: [Phase.self, Lab.self, Service.self, PainPoint.self,
                                                               Improvement.self, Moderate.self, Participant.self, Vote.self,
                                                               Document.self, Review.self, SignOff.self, Log.self,
                                                               Report.self]),
            CommandGroup(name: "The web app", subcommands: [Serve.self, Account.self]),
            CommandGroup(name: "The lab database", subcommands: [Backup.self, Export.self, Import.self, Migrate.self]),
        ])
}
