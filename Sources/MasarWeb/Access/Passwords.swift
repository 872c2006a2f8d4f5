import HummingbirdBcrypt
import NIOPosix

/// Passwords are kept as bcrypt hashes. Hashing is slow on purpose, so it runs on NIO's
/// thread pool, away from the threads that serve requests.
public enum Passwords {
    /// bcrypt's cost: 2¹¹ rounds, about 0.1 s here — slow for a guesser, quick for a person.
    static let cost: UInt8 = 11

    /// The shortest password a digital participant or a staff member may choose.
    public static let minimumLength = 10

    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// What is wrong with a new password, or nil.
    public static func problem(_ password: String) -> String? {
        password.count < minimumLength ? "a password needs at least \(minimumLength) characters" : nil
    }
}
