/// One column's numbers as one part of a file reads them. Plain decimals are kept as integers
/// scaled by 10^scale (ages at scale 0, amounts in cents at 2, six-decimal scores at 6) while every
/// value so far fits in 32 bits: half the memory of doubles, and a radix sort of two or three
/// passes instead of six. A value that does not fit turns the column into doubles from then on.
/// Either way the values handed on are the doubles a parse of the text gives: an integer v at
/// scale s becomes v ÷ 10^s, the same correctly rounded division `NumberParser` makes.
struct NumberColumn {
    private(set) var scaled: [Int32] = []
    private(set) var scale = 0
    private(set) var doubles: [Double] = []
    /// Whether the values are the integers in `scaled` rather than `doubles`.
    private(set) var exact = true
    /// Whether the values are in ascending order (`sort`).
    private(set) var sorted = false

    /// Scales beyond 9 hold nothing but tiny values in 32 bits; such columns stay doubles.
    static let largestScale = 9
    /// 10^0 … 10^largestScale (written out, as `NumberParser.powers` is).
    static let tens: [Int64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// mantissa ÷ 10^fraction as an integer at the current scale, when the column holds integers
    /// and it fits in one.
    @inline(__always)
    private func scaledValue(mantissa: Int64, fraction: Int) -> Int32? {
        guard exact, fraction <= scale else { return nil }
        let (value, overflow) = mantissa.multipliedReportingOverflow(by: Self.tens[scale - fraction])
        return overflow ? nil : Int32(exactly: value)
    }

    /// Appends the cells of `column` in the rows `picked`, in order, counting the missing ones;
    /// stops at the first cell that holds something other than a number and returns its position
    /// in `picked` (`picked.count` when there is none). Decimals that fit the scale are gathered
    /// and appended together: one array append a block rather than one a value.
    mutating func append<Block: TableBlock>(_ column: Int, of rows: Block, picked: UnsafeBufferPointer<Int32>, missing: inout Int) -> Int {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: picked.count) { gathered in
            var n = 0
            func flush() {
                if n > 0 { scaled.append(contentsOf: UnsafeBufferPointer(rebasing: gathered[..<n])) }
                n = 0
            }
            for k in 0..<picked.count {
                switch rows[Int(picked[k])].numeric(column) {
                case .decimal(let mantissa, let fraction):
                    if let small = scaledValue(mantissa: mantissa, fraction: fraction) {
                        gathered[n] = small
                        n += 1
                        continue
                    }
                    flush()
                    appendSlowly(mantissa: mantissa, fraction: fraction)
                case .number(let value):
                    flush()
                    append(value)
                case .missing:
                    missing += 1
                case .invalid:
                    flush()
                    return k
                }
            }
            flush()
            return picked.count
        }
    }

    @inline(never)
    private mutating func appendSlowly(mantissa: Int64, fraction: Int) {
        let value = NumberParser.Decimal(mantissa: mantissa, fraction: fraction).value
        if exact, fraction > scale, fraction <= Self.largestScale, Int32(exactly: mantissa) != nil, rescale(to: fraction) {
            return scaled.append(Int32(mantissa))
        }
        append(value)
    }

    /// Adds a number given as a double (another notation, or JSON): kept as an integer when one at
    /// this scale or a finer one gives back exactly the same double.
    mutating func append(_ value: Double) {
        if exact {
            for scale in scale...max(scale, Self.largestScale) {
                let power = NumberParser.powers[scale]
                let integer = (value * power).rounded()
                guard abs(integer) <= Double(Int32.max), integer / power == value, value != 0 || value.sign == .plus else { continue }
                if scale > self.scale, !rescale(to: scale) { break }
                return scaled.append(Int32(integer))
            }
            toDoubles()
        }
        doubles.append(value)
    }

    /// Multiplies the integers by 10^(scale − self.scale) when every one still fits; false otherwise.
    private mutating func rescale(to scale: Int) -> Bool {
        guard scale != self.scale else { return true }
        let factor = Int64(Self.tens[scale - self.scale])
        let largest = scaled.reduce(Int64(0)) { Swift.max($0, Swift.abs(Int64($1))) }
        guard largest * factor <= Int64(Int32.max) else { return false }
        for i in scaled.indices { scaled[i] = Int32(Int64(scaled[i]) * factor) }
        self.scale = scale
        return true
    }

    private mutating func toDoubles() {
        doubles = values
        scaled = []
        exact = false
    }

    /// The values as doubles, in the order held.
    var values: [Double] {
        guard exact else { return doubles }
        let power = NumberParser.powers[scale]
        return scaled.map { Double($0) / power }
    }

    /// Sorts the values in place.
    mutating func sort() {
        if exact { scaled.radixSort() } else { doubles.radixSort() }
        sorted = true
    }

    /// The parts' values as one array of doubles (ascending when every part is sorted), emptying
    /// `parts`. Integer parts are brought to one scale and merged as integers, and turned into
    /// doubles in the last merge's output, so a column is held as doubles only once.
    static func merged(_ parts: inout [NumberColumn]) -> (values: [Double], sorted: Bool) {
        let sorted = parts.allSatisfy(\.sorted)
        let scale = parts.map(\.scale).max() ?? 0
        let exact = parts.allSatisfy(\.exact) && parts.indices.allSatisfy { parts[$0].rescale(to: scale) }
        defer { parts = [] }
        guard exact else {
            let runs = parts.indices.map { i in
                defer { parts[i] = NumberColumn() }
                return parts[i].values
            }
            return (sorted ? Statistics.mergeSorted(runs, { $0 }) : runs.flatMap { $0 }, sorted)
        }
        let runs = parts.indices.map { i in
            defer { parts[i] = NumberColumn() }
            return parts[i].scaled
        }
        let power = NumberParser.powers[scale]
        let value = { (integer: Int32) in Double(integer) / power }
        return (sorted ? Statistics.mergeSorted(runs, value) : runs.flatMap { $0.map(value) }, sorted)
    }
}
