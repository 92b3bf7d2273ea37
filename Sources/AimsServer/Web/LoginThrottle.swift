import Foundation

/// Locks an e-mail address out for a while after repeated failed logins.
actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until the address may try again, or nil if it may try now.
    func retryAfter(_ email: String, now: Date = Date()) -> Int? {
        let recent = (failures[email.lowercased()] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[email.lowercased()] = recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int(window - now.timeIntervalSince(oldest)))
    }

    func recordFailure(_ email: String, now: Date = Date()) { failures[email.lowercased(), default: []].append(now) }
    func recordSuccess(_ email: String) { failures[email.lowercased()] = nil }
}
