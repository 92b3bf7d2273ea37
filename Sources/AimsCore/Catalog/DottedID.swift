/// Orders identifiers such as "A.6.2.10", "9.3.1" or "Art. 10" the way a reader expects:
/// numeric parts compare as numbers, so "A.10" sorts after "A.9" and "10.2" after "9.3.3".
public enum DottedID {
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        let a = parts(lhs)
        let b = parts(rhs)
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case let (.number(m), .number(n)): return m < n
            case let (.text(s), .text(t)): return s < t
            case (.text, .number): return true  // "A" before "4": annex ids group together
            case (.number, .text): return false
            }
        }
        return a.count < b.count
    }

    private enum Part: Equatable { case number(Int), text(String) }

    private static func parts(_ id: String) -> [Part] {
        id.split(whereSeparator: { $0 == "." || $0 == " " || $0 == "(" || $0 == ")" || $0 == "-" })
            .map { Int($0).map(Part.number) ?? .text(String($0)) }
    }
}

extension Sequence where Element == String {
    /// Sorted as dotted versions (see ``DottedID``).
    public func sortedAsDottedIDs() -> [String] { sorted(by: DottedID.areInIncreasingOrder) }
}
