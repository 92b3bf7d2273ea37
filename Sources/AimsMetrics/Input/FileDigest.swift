import Crypto
import Foundation
import Synchronization

/// A file's SHA-256, hashed by the threads that scan the file, a window at a time as they go:
/// whichever thread is due for the next window and finds no other hashing takes it. The digest
/// keeps pace with the scan and needs no thread of its own: as a third thread on two cores it
/// shared one part's core for the whole read, and the other part's core went idle at the end
/// while that part caught up.
///
/// Each window is mapped, hashed where the kernel's cached pages lie (a read would copy every
/// byte once more) and unmapped, so the process holds one window of the file at most.
final class FileDigest: Sendable {
    private struct State {
        var hasher = SHA256()
        /// Bytes hashed so far, from the file's start.
        var hashed = 0
        var failure: MetricsInputError?
    }

    private let state = Mutex(State())
    private let file: Int32
    private let path: String
    private let size: Int
    private let window: Int

    init(path: String, window: Int = 1 << 20) throws {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            close(file)
            throw MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
        }
        (self.file, self.path, self.size, self.window) = (file, path, Int(status.st_size), window)
    }

    deinit { close(file) }

    /// Hashes windows while fewer than `bytes` are hashed and no other thread is hashing one (a
    /// scanning thread calls it with the bytes scanned so far, and goes back to scanning at once
    /// when another thread is hashing).
    func keepUp(with bytes: Int) {
        while state.withLockIfAvailable({ self.hashWindow(&$0, below: bytes) }) == true {}
    }

    /// Hashes the rest, a window at a time, waiting its turn when another thread is hashing one.
    func hashRest() {
        while state.withLock({ self.hashWindow(&$0, below: .max) }) {}
    }

    /// The digest in hexadecimal, once every window is hashed (hashing what is left here).
    func finish() throws -> String {
        hashRest()
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return TableReader.hex(state.hasher.finalize())
        }
    }

    /// Hashes the next window if fewer than `bytes` are hashed; false when there was none to hash.
    private func hashWindow(_ state: inout State, below bytes: Int) -> Bool {
        guard state.failure == nil, state.hashed < min(bytes, size) else { return false }
        let length = min(window, size - state.hashed)
        guard let pages = mmap(nil, length, PROT_READ, Self.mapFlags, file, off_t(state.hashed)), pages != MAP_FAILED else {
            state.failure = MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
            return false
        }
        state.hasher.update(bufferPointer: UnsafeRawBufferPointer(start: pages, count: length))
        munmap(pages, length)
        state.hashed += length
        return true
    }

    /// A private read-only mapping, its pages mapped at once where the system can (Linux): one call
    /// per window instead of a fault per page.
    #if os(Linux)
    private static let mapFlags = MAP_PRIVATE | MAP_POPULATE
    #else
    private static let mapFlags = MAP_PRIVATE
    #endif
}
