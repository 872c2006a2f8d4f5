import Foundation
import Synchronization

/// The services and life events of one or more files or folders, checked together.
public struct Catalogue: Sendable {
    /// Services in the order their files were named (folders sorted by file name).
    public var services: [ServiceMap]
    public var lifeEvents: [LifeEvent]
    /// Services from outside the loaded paths that life events name.
    public var lookup: [ServiceMap] = []

    public init(services: [ServiceMap] = [], lifeEvents: [LifeEvent] = []) {
        self.services = services
        self.lifeEvents = lifeEvents
    }

    public var servicesByID: [String: ServiceMap] {
        Dictionary(services.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The map files named by `paths`: files as given, folders searched for `.yaml`/`.yml`.
    public static func files(in paths: [String]) throws(MapIssues) -> [String] {
        var files: [String] = []
        var issues: [MapIssue] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                issues.append(MapIssue(file: path, line: 0, message: "no such file or folder"))
                continue
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            if found.isEmpty {
                issues.append(MapIssue(file: path, line: 0, message: "the folder holds no .yaml map files"))
            }
            files += found
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        return files
    }

    /// Loads every file (on every core), then checks what spans files: service ids unique
    /// across the catalogue, life events naming services that exist.
    ///
    /// `lookup` supplies services a life event may name that are not among `paths`; without
    /// it they are looked up in the life event's own catalogue (`homeFolder(ofLifeEvent:)`).
    public static func load(_ paths: [String], lookup: [ServiceMap]? = nil) throws(MapIssues) -> Catalogue {
        var (catalogue, issues) = read(try files(in: paths))
        var known = lookup ?? []
        var unreadable: [String: Int] = [:]
        if lookup == nil {
            let ids = Set(catalogue.services.map(\.id))
            let homes = Set(catalogue.lifeEvents.filter { !ids.isSuperset(of: $0.services) }
                .map { homeFolder(ofLifeEvent: $0.file) })
            for home in homes.sorted() {
                guard let homeFiles = try? files(in: [home]) else { continue }
                let (found, problems) = read(homeFiles)
                known += found.services
                unreadable[home] = Set(problems.map(\.file)).count
            }
        }
        issues += catalogue.crossFileIssues(lookup: known, unreadable: unreadable)
        guard issues.isEmpty else { throw MapIssues(issues) }
        catalogue.lookup = known
        return catalogue
    }

    /// Reads each file on its own, on every core; no rule between files is checked here.
    static func read(_ files: [String]) -> (Catalogue, [MapIssue]) {
        let results = Mutex([Result<MapFile, MapIssues>?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let result: Result<MapFile, MapIssues>
            do throws(MapIssues) { result = .success(try MapLoader.load(file: files[i])) } catch { result = .failure(error) }
            results.withLock { $0[i] = result }
        }
        var catalogue = Catalogue()
        var issues: [MapIssue] = []
        for result in results.withLock({ $0 }) {
            switch result! {
            case .success(.service(let map)): catalogue.services.append(map)
            case .success(.lifeEvent(let event)): catalogue.lifeEvents.append(event)
            case .failure(let failure): issues += failure.issues
            }
        }
        return (catalogue, issues)
    }

    /// The catalogue a life-event file belongs to: the folder that holds `life-events/`,
    /// or the file's own folder when it lies elsewhere.
    public static func homeFolder(ofLifeEvent file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        let home = (folder as NSString).lastPathComponent == "life-events"
            ? (folder as NSString).deletingLastPathComponent : folder
        return home.isEmpty ? "." : home
    }

    /// Bundles every life event, against the loaded services and those looked up for them.
    public func bundles(_ costs: CostModel = .default) -> [Result<LifeEventBundle, BundleProblem>] {
        var byID = Dictionary(lookup.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for map in services { byID[map.id] = map }
        return lifeEvents.map { $0.bundle(byID, costs) }
    }

    /// Rules between files: unique service ids; life events name known services.
    /// `unreadable` counts, per home folder, the files that could not be read there.
    func crossFileIssues(lookup: [ServiceMap], unreadable: [String: Int] = [:]) -> [MapIssue] {
        var issues: [MapIssue] = []
        var first: [String: ServiceMap] = [:]
        for map in services {
            if let earlier = first[map.id] {
                issues.append(MapIssue(file: map.file, line: 1,
                                       message: "service id '\(map.id)' is already used by \(earlier.file)"))
            } else {
                first[map.id] = map
            }
        }
        for map in lookup where first[map.id] == nil { first[map.id] = map }
        for event in lifeEvents {
            for service in event.services where first[service] == nil {
                let hint = suggestion(for: service, among: Array(first.keys)).map { " — did you mean '\($0)'?" } ?? ""
                let home = Catalogue.homeFolder(ofLifeEvent: event.file)
                let broken = unreadable[home].flatMap { $0 > 0 ? $0 : nil }
                    .map { " (\($0) file\($0 == 1 ? "" : "s") in \(home) could not be read: run masar validate \(home))" } ?? ""
                issues.append(MapIssue(file: event.file, line: event.lines[service] ?? 1,
                                       message: "service '\(service)' is not in the catalogue\(hint)\(broken)"))
            }
        }
        return issues
    }
}
