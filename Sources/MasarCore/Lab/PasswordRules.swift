extension LabRules {
    /// The shortest password a digital participant or a staff member may choose.
    public static let passwordMinimumLength = 10
    /// bcrypt reads no more than 72 bytes of a password. A longer one is refused rather than cut,
    /// so that all of what a person typed is what signs them in.
    public static let passwordMaximumBytes = 72

    /// A new password (a digital participant's, a staff account's): long enough, and no longer than bcrypt reads.
    public static func newPassword(_ password: String) -> Refusal? {
        if password.count < passwordMinimumLength {
            return Refusal(.passwordTooShort, ["limit": String(passwordMinimumLength)])
        }
        if password.utf8.count > passwordMaximumBytes {
            return Refusal(.passwordTooLong, ["limit": String(passwordMaximumBytes), "total": String(password.utf8.count)])
        }
        return nil
    }
}
