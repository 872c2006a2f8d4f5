import ArgumentParser
import Foundation
import MasarCore

/// Loads maps for a command; on any issue prints them all and exits 1, so no output is half-made.
/// `lookup` is given when life events must find their services in a named catalogue.
func loadCatalogue(_ paths: [String], lookup: [ServiceMap]? = nil) throws -> Catalogue {
    do {
        return try Catalogue.load(paths, lookup: lookup)
    } catch {
        Terminal.error(error.description)
        let files = Set(error.issues.map(\.file)).count
        Terminal.error("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s").")
        throw ExitCode(1)
    }
}

/// Refuses input that loaded but cannot serve the command (e.g. no future path to compare).
func refuse(_ message: String) -> ExitCode {
    Terminal.error(message)
    return ExitCode(1)
}

func isFolder(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
}
