import Foundation
import Synchronization

/// A progress line for long reads: "reading log.csv  42% (230 of 548 MB, 1.2 s)", redrawn in place
/// at most ten times a second, ended with a line break when the file is read. Files of 16 MiB or
/// less draw nothing: their wait is not worth a line.
public final class ProgressDisplay: Sendable {
    let name: String
    let start: Date
    let last = Mutex<Date>(.distantPast)
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Date

    /// By default the line goes to standard error and time is the wall clock; tests pass their own.
    public init(name: String, write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                now: @escaping @Sendable () -> Date = { Date() }) {
        (self.name, self.write, self.now) = (name, write, now)
        start = now()
    }

    /// Told the bytes read so far (from any core) and the file's size.
    public func update(read: Int, total: Int) {
        guard total > 16 << 20 else { return }
        let time = now()
        let finished = read >= total
        let due = last.withLock { last -> Bool in
            guard finished || time.timeIntervalSince(last) >= 0.1 else { return false }
            last = time
            return true
        }
        guard due else { return }
        let line = String(format: "\r\u{1B}[Kreading %@  %3d%% (%d of %d MB, %.1f s)", name, Int(100 * Double(min(read, total)) / Double(total)),
                          min(read, total) >> 20, total >> 20, time.timeIntervalSince(start))
        write(line + (finished ? "\n" : ""))
    }
}
