import Crypto
import Foundation
import MasarCore

/// The audit log's hash chain (DESIGN "Trust"). Each entry's hash covers its content and the
/// previous entry's hash, so rewriting, removing or inserting an entry breaks the chain from
/// there on. Anyone who can write the database can recompute a chain, so the head is also
/// printed where it cannot be rewritten: in the signed lab document and on the public page.
public enum AuditChain {
    /// The "previous hash" of the first entry.
    public static let start = String(repeating: "0", count: 64)

    /// One entry as stored: its id, its content as the database holds it, and its two hashes.
    public struct Link: Sendable {
        public var id: Int64
        /// The content fields in a fixed order, as text (nil for a missing value).
        public var content: [String?]
        public var previousHash: String?
        public var hash: String?

        public init(id: Int64, content: [String?], previousHash: String?, hash: String?) {
            self.id = id
            self.content = content
            self.previousHash = previousHash
            self.hash = hash
        }
    }

    /// A head printed on paper or recorded at a sign-off: entry `id` had hash `hash`.
    public struct Head: Equatable, Sendable, CustomStringConvertible {
        public var id: Int64
        public var hash: String

        public init(id: Int64, hash: String) {
            self.id = id
            self.hash = hash
        }

        /// "42:ab12…", the form `masar log --verify --head` takes and the document prints.
        public init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "#", with: "").split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[0]), parts[1].count == 64,
                  parts[1].allSatisfy({ $0.isHexDigit }) else { return nil }
            self.init(id: id, hash: parts[1].lowercased())
        }

        public var description: String { "\(id):\(hash)" }
    }

    /// SHA-256 over the previous hash and each field, every one length-prefixed so that no two
    /// different contents hash alike ("ab" + "c" is not "a" + "bc"; nil is not "").
    public static func hash(previous: String, id: Int64, content: [String?]) -> String {
        var bytes = Data()
        for field in [previous, String(id)] + content {
            if let field {
                let utf8 = Data(field.utf8)
                bytes.append(contentsOf: Array("\(utf8.count):".utf8))
                bytes.append(utf8)
            } else {
                bytes.append(contentsOf: Array("-:".utf8))
            }
        }
        return Fingerprint.of(bytes)
    }

    /// What checking the chain found.
    public struct Verification: Sendable {
        /// Entries read.
        public var entries: Int
        /// The last entry and its hash, when there is one.
        public var head: Head?
        /// The first break, in the order of the log; nil when the chain holds.
        public var problem: Refusal?
    }

    /// Walks the chain oldest first and names the first entry that was rewritten, removed or
    /// inserted, then checks each known head (from sign-offs, or typed in from paper).
    public static func verify(_ links: [Link], heads: [Head] = []) -> Verification {
        var previous = start, expected: Int64 = 1
        var hashes: [Int64: String] = [:]
        func result(_ problem: Refusal?) -> Verification {
            Verification(entries: links.count, head: links.last.map { Head(id: $0.id, hash: $0.hash ?? "") }, problem: problem)
        }
        for link in links {
            if link.id != expected {
                return result(Refusal(.auditEntriesMissing, ["from": String(expected), "to": String(link.id - 1),
                                                             "entry": String(link.id)]))
            }
            if link.previousHash != previous {
                return result(Refusal(.auditChainBroken, ["entry": String(link.id)]))
            }
            guard let hash = link.hash, hash == Self.hash(previous: previous, id: link.id, content: link.content) else {
                return result(Refusal(.auditEntryChanged, ["entry": String(link.id)]))
            }
            hashes[link.id] = hash
            previous = hash
            expected += 1
        }
        for head in heads where hashes[head.id] != head.hash {
            return result(Refusal(.auditHeadDiffers, ["entry": String(head.id), "hash": head.hash]))
        }
        return result(nil)
    }
}
