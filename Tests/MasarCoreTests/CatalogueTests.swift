import Foundation
import Testing
@testable import MasarCore

/// The bundled `Services/` catalogue, found from this file: Tests/MasarCoreTests/ → the package.
let servicesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()   // MasarCoreTests
    .deletingLastPathComponent()   // Tests
    .deletingLastPathComponent()   // the package
    .appendingPathComponent("Services").path

func bundledCatalogue() throws -> Catalogue {
    do throws(MapIssues) {
        return try Catalogue.load([servicesFolder])
    } catch {
        Issue.record("the bundled catalogue has issues:\n\(error.description)")
        throw error
    }
}

@Suite("The bundled catalogue meets the brief")
struct CatalogueTests {
    @Test("Every file of Services/ loads without an issue")
    func loads() throws {
        let catalogue = try bundledCatalogue()
        #expect(!catalogue.services.isEmpty)
        #expect(Set(catalogue.services.map(\.id)).count == catalogue.services.count)
        // every service comes from a file in Services/, every life event from Services/life-events/
        for service in catalogue.services {
            #expect(service.file.hasPrefix(servicesFolder))
            #expect(!service.file.contains("/life-events/"))
        }
        for event in catalogue.lifeEvents {
            #expect(event.file.contains("/life-events/"))
        }
    }

    @Test("At least 16 services, at least 14 redesigned, exactly 2 still being mapped")
    func coverage() throws {
        let catalogue = try bundledCatalogue()
        let redesigned = catalogue.services.filter { $0.future != nil }
        #expect(catalogue.services.count >= 16)
        #expect(redesigned.count >= 14)
        #expect(catalogue.services.count - redesigned.count == 2)
    }

    @Test("The services span at least 5 sectors and 6 owning institutions")
    func breadth() throws {
        let catalogue = try bundledCatalogue()
        #expect(Set(catalogue.services.map(\.sector)).count >= 5)
        #expect(Set(catalogue.services.map(\.entity)).count >= 6)
    }

    @Test("The life events of the brief are all there")
    func lifeEvents() throws {
        let ids = Set(try bundledCatalogue().lifeEvents.map(\.id))
        #expect(ids.isSuperset(of: ["birth-of-a-child", "marriage", "death-of-a-relative", "starting-a-business"]))
    }

    @Test("Every life event bundles and shows a once-only violation in today's paths")
    func bundles() throws {
        let catalogue = try bundledCatalogue()
        let results = catalogue.bundles()
        #expect(results.count == catalogue.lifeEvents.count)
        for (event, result) in zip(catalogue.lifeEvents, results) {
            switch result {
            case .success(let bundle):
                #expect(Set(bundle.order) == Set(event.services), "\(event.id)")
                #expect(!bundle.onceOnlyViolations.isEmpty, "\(event.id) shows no once-only violation")
                for violation in bundle.onceOnlyViolations {
                    // the holder comes before the service that asks again
                    let asker = try #require(bundle.order.firstIndex(of: violation.service))
                    let holder = try #require(bundle.order.firstIndex(of: violation.heldBy))
                    #expect(holder < asker, "\(event.id): \(violation)")
                }
            case .failure(let problem):
                Issue.record("\(event.id) does not bundle: \(problem)")
            }
        }
    }

    @Test("Every title, of services, their steps and life events, is in English and Arabic")
    func bilingual() throws {
        let catalogue = try bundledCatalogue()
        func check(_ title: LocalizedText, _ what: String) {
            #expect(!(title.en ?? "").isEmpty, "\(what) has no English title")
            #expect(!(title.ar ?? "").isEmpty, "\(what) has no Arabic title")
        }
        for service in catalogue.services {
            check(service.title, service.id)
            for step in service.current.steps + (service.future?.steps ?? []) {
                check(step.title, "\(service.id): step '\(step.id)'")
            }
        }
        for event in catalogue.lifeEvents {
            check(event.title, event.id)
        }
    }
}
