import Foundation

/// Lockout with back-off after repeated login failures. Counted twice: per account (stops a
/// guesser aiming at one person) and per client address (stops one client spraying many
/// accounts); IPv6 addresses count by /64 (`ClientAddress.rateLimitKey`).
public struct LoginThrottlePolicy: Sendable {
    public struct State: Sendable, Equatable {
        public var failures: Int
        public var lockouts: Int
        public var lastFailureAt: Date
        public var lockedUntil: Date?

        public init(failures: Int = 0, lockouts: Int = 0, lastFailureAt: Date = .distantPast, lockedUntil: Date? = nil) {
            self.failures = failures
            self.lockouts = lockouts
            self.lastFailureAt = lastFailureAt
            self.lockedUntil = lockedUntil
        }
    }

    /// Failures allowed before a lock.
    public var maxFailures: Int
    /// The first lock's length; each further lock doubles it, up to `maxLock`.
    public var baseLock: TimeInterval
    public var maxLock: TimeInterval
    /// Failures older than this are forgotten.
    public var window: TimeInterval

    public init(maxFailures: Int, baseLock: TimeInterval, maxLock: TimeInterval, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.baseLock = baseLock
        self.maxLock = maxLock
        self.window = window
    }

    public static let account = LoginThrottlePolicy(maxFailures: 5, baseLock: 60, maxLock: 3600)
    public static let address = LoginThrottlePolicy(maxFailures: 30, baseLock: 300, maxLock: 3600)

    /// Seconds left on a lock, or nil when login may be attempted.
    public func lockRemaining(_ state: State, now: Date) -> TimeInterval? {
        guard let until = state.lockedUntil, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    /// The state after one more failure; `lockedUntil` is set when this failure locks.
    public func afterFailure(_ state: State, now: Date) -> State {
        var next = state
        if now.timeIntervalSince(state.lastFailureAt) > window { next.failures = 0 }
        // A day without failures forgives earlier lockouts.
        if now.timeIntervalSince(state.lastFailureAt) > 24 * 3600 { next.lockouts = 0 }
        next.failures += 1
        next.lastFailureAt = now
        if next.failures >= maxFailures {
            let length = min(maxLock, baseLock * pow(2, Double(next.lockouts)))
            next.lockouts += 1
            next.failures = 0
            next.lockedUntil = now.addingTimeInterval(length)
        }
        return next
    }

    /// Whether this failure is the one that locked.
    public func didLock(from old: State, to new: State) -> Bool {
        new.lockouts > old.lockouts
    }
}
