import Crypto
import Foundation
import Synchronization

/// A file's SHA-256, hashed in file order from the buffers the reading threads read their windows
/// into (`FileWindows`): a window is offered once scanned, and hashed at once when the windows
/// before it are; otherwise its buffer is parked until they are, and whichever thread hashes the
/// window before it hashes it too. The bytes are hashed while they are still in the cache, and
/// read from the file once: reading each window a second time for the digest was 4 % of the CPU
/// on 10M rows, the kernel copying every byte twice.
///
/// A window offered without its bytes (too long for a buffer, or with no buffer to spare) is read
/// again when its turn comes.
final class FileDigest: Sendable {
    /// A window waiting for the ones before it: its end, and its bytes with the buffer that holds
    /// them (handed over whole: the thread that parked it no longer touches it).
    private struct Parked: @unchecked Sendable {
        var end: Int
        var bytes: UnsafeRawBufferPointer?
        var buffer: WindowBuffer?
    }

    private struct State {
        /// Bytes hashed so far, from the file's start.
        var hashed = 0
        /// A thread is hashing: others park their windows.
        var hashing = false
        var parked: [Int: Parked] = [:]
        /// Parked buffers, hashed and free to be read into again.
        var spare: [WindowBuffer] = []
        var failure: (any Error)?
    }

    /// Buffers parked at once at most: past that a window is parked without its bytes, and read again.
    static let parkedBuffers = 8

    private let state = Mutex(State())
    private let file: Int32
    private let path: String
    let size: Int
    /// Touched only by the thread that is hashing (`State.hashing`), outside the lock, so that
    /// other threads can park their windows meanwhile.
    private nonisolated(unsafe) var hasher = SHA256()
    /// For windows read again; used only by the thread that is hashing.
    private nonisolated(unsafe) let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 64)

    /// A digest of the file at `path` whose first `header` bytes (read before the windows) are hashed here.
    init(path: String, header: Int) throws {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            close(file)
            throw MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
        }
        (self.file, self.path, self.size) = (file, path, Int(status.st_size))
        _ = offer(0..<min(header, size), bytes: nil, in: nil)
    }

    deinit {
        close(file)
        scratch.deallocate()
        state.withLock { state in
            for buffer in state.spare { buffer.deallocate() }
            for parked in state.parked.values { parked.buffer?.deallocate() }
        }
    }

    /// A buffer of at least `capacity` bytes for a window: a spare one if there is one.
    func buffer(capacity: Int) -> WindowBuffer {
        if let spare = state.withLock({ $0.spare.popLast() }) {
            if spare.bytes.count >= capacity { return spare }
            spare.deallocate()
        }
        return WindowBuffer(capacity: capacity)
    }

    /// Offers the window `range`, whose bytes (if given) lie in `buffer`. Returns true when the
    /// digest keeps the buffer (parked): the caller must not touch it again and takes another.
    func offer(_ range: Range<Int>, bytes: UnsafeRawBufferPointer?, in buffer: WindowBuffer?) -> Bool {
        guard !range.isEmpty else { return false }
        let turn: Bool, kept: Bool
        (turn, kept) = state.withLock { state in
            guard state.failure == nil else { return (false, false) }
            if state.hashing || state.hashed != range.lowerBound {
                let keep = bytes != nil && state.parked.values.filter { $0.buffer != nil }.count < Self.parkedBuffers
                state.parked[range.lowerBound] = Parked(end: range.upperBound, bytes: keep ? bytes : nil, buffer: keep ? buffer : nil)
                return (false, keep)
            }
            state.hashing = true
            return (true, false)
        }
        guard turn else { return kept }
        var next: Parked? = Parked(end: range.upperBound, bytes: bytes, buffer: nil)
        var start = range.lowerBound
        while let window = next {
            let failure = hash(start..<window.end, bytes: window.bytes)
            next = state.withLock { state in
                if let failure {
                    if state.failure == nil { state.failure = failure }
                } else {
                    state.hashed = window.end
                }
                if let buffer = window.buffer { state.spare.append(buffer) }
                guard state.failure == nil, let following = state.parked.removeValue(forKey: state.hashed) else {
                    state.hashing = false
                    return nil
                }
                start = state.hashed
                return following
            }
        }
        return false
    }

    /// Adds `range` to the hasher, from `bytes` or read from the file; nil, or why it could not.
    private func hash(_ range: Range<Int>, bytes: UnsafeRawBufferPointer?) -> MetricsInputError? {
        if let bytes {
            hasher.update(bufferPointer: bytes)
            return nil
        }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let got = pread(file, scratch.baseAddress, min(scratch.count, range.upperBound - offset), off_t(offset))
            guard got > 0 else {
                return MetricsInputError(file: path, problem: got == 0 ? "changed while it was read" : "cannot be read (\(String(cString: strerror(errno))))")
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: scratch.baseAddress, count: got))
            offset += got
        }
        return nil
    }

    /// Stops hashing: the read failed, and a failed read reports no digest.
    func abandon() {
        state.withLock { state in
            if state.failure == nil { state.failure = AbandonedWindow() }
        }
    }

    /// The digest in hexadecimal, once every thread is done: what no window offered is read here.
    func finish() throws -> String {
        while true {
            let gap: Range<Int>? = try state.withLock { state in
                if let failure = state.failure { throw failure }
                guard state.hashed < size else { return nil }
                let nextParked = state.parked.keys.filter { $0 > state.hashed }.min() ?? size
                return state.hashed..<nextParked
            }
            guard let gap else { break }
            // Not hashing: every thread is done, so this one offers the gap as a window of its own.
            _ = offer(gap, bytes: nil, in: nil)
        }
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return TableReader.hex(hasher.finalize())
        }
    }
}

/// A buffer a window is read into, handed between a reading thread and the digest.
struct WindowBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(capacity: Int) { bytes = .allocate(byteCount: capacity, alignment: 64) }

    func deallocate() { bytes.deallocate() }
}
