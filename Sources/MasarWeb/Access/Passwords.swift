import HummingbirdBcrypt
import NIOPosix

/// Passwords are kept as bcrypt hashes. Hashing is slow on purpose, so it runs on NIO's
/// thread pool, away from the threads that serve requests. What a new password must be is
/// `LabRules.newPassword`'s to say.
public enum Passwords {
    /// bcrypt's cost: 2¹¹ rounds, about 0.1 s here — slow for a guesser, quick for a person.
    static let cost: UInt8 = 11

    /// Checked when there is no account: made once, of the same cost as every real hash.
    static let dummyHash = Bcrypt.hash(Tokens.make(), cost: cost)

    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. Without a hash (no such account or code) it is checked
    /// against the dummy and refused, so a name that does not exist answers as slowly as a wrong password.
    public static func verify(_ password: String, against hash: String?) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? dummyHash) && hash != nil }
    }
}
