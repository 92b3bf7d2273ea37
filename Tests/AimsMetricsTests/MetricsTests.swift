import Foundation
import Testing

@testable import AimsMetrics
import TestScratch

@Suite("Fairness and performance, computed by hand")
struct FairnessTests {
    func small(_ sensitive: [String], privileged: String? = nil, options: FairnessOptions = { var o = FairnessOptions(); o.minimumGroupSize = 1; return o }())
        throws -> (FairnessAggregates, [AttributeFairness])
    {
        let roles = ColumnRoles(label: "y_true", prediction: "y_pred", score: "score", sensitive: sensitive)
        let (aggregates, _) = try FairnessReader(roles: roles).read(TableReader(path: fixture("small.csv")))
        let keys = sensitive + (sensitive.count > 1 ? [sensitive.joined(separator: "|")] : [])
        let aucs = aggregates.rocAUCs()
        return (aggregates, keys.map { FairnessCalculator.evaluate(attribute: $0, groups: aggregates.groups[$0]!, rocAUC: aucs.groups[$0],
                                                                    options: options, privileged: $0 == "sex" ? privileged : nil, overallROCAUC: aucs.overall) })
    }

    func disparity(_ result: AttributeFairness, _ name: String) -> Disparity { result.disparities.first { $0.name == name }! }

    @Test("per-group rates and fairlearn-named disparities")
    func groupsAndDisparities() throws {
        let (_, results) = try small(["sex"], privileged: "m")
        let sex = results[0]
        let f = sex.groups.first { $0.group == "f" }!, m = sex.groups.first { $0.group == "m" }!
        #expect(f.count == 4 && f.selectionRate == 1 && f.truePositiveRate == 1 && f.falsePositiveRate == 1 && f.precision == 0.5 && f.accuracy == 0.5)
        #expect(m.selectionRate == 0.25 && m.truePositiveRate == 0.5 && m.falsePositiveRate == 0 && m.falseNegativeRate == 0.5 && m.accuracy == 0.75)
        #expect(sex.overall.selectionRate == 0.625 && sex.overall.truePositiveRate == 0.75)
        #expect(disparity(sex, "demographic_parity_difference").value == 0.75)
        #expect(disparity(sex, "demographic_parity_ratio").value == 0.25)
        #expect(disparity(sex, "demographic_parity_ratio").status == "fail")
        #expect(disparity(sex, "equalized_odds_difference").value == 1)
        #expect(disparity(sex, "equalized_odds_ratio").value == 0)
        #expect(disparity(sex, "equal_opportunity_difference").value == 0.5)
        #expect(disparity(sex, "equal_opportunity_ratio").value == 0.5)
        #expect(disparity(sex, "false_negative_rate_difference").value == 0.5)
        #expect(disparity(sex, "demographic_parity_difference_to_overall").value == 0.375)
        #expect(disparity(sex, "demographic_parity_ratio_to_overall").value == 0.4)
        // AIF360, privileged m: unprivileged f selects everyone.
        #expect(disparity(sex, "disparate_impact").value == 4)
        #expect(disparity(sex, "statistical_parity_difference").value == 0.75)
        #expect(disparity(sex, "average_odds_difference").value == 0.75)
        #expect(disparity(sex, "disparate_impact").privilegedGroup == "m")
        #expect(disparity(sex, "disparate_impact").status == "fail", "4.0 is as far from parity as 0.25")
    }

    @Test("intersections join groups with |")
    func intersection() throws {
        let (_, results) = try small(["sex", "race"])
        #expect(results.map(\.attribute) == ["sex", "race", "sex|race"])
        #expect(results[2].groups.map(\.group) == ["f|black", "f|white", "m|black", "m|white"])
        #expect(results[2].groups.map(\.count) == [2, 2, 1, 3])
        #expect(results[1].groups.first { $0.group == "white" }?.rocAUC == 5.0 / 6.0)
    }

    @Test("0/0 is undefined, or 0 in fairlearn compatibility; small groups are insufficient")
    func edgeCases() throws {
        let path = try temporaryFile("y,p,g\n0,0,a\n0,1,a\n1,1,b\n0,0,b\n")
        let roles = ColumnRoles(label: "y", prediction: "p", sensitive: ["g"])
        let (aggregates, _) = try FairnessReader(roles: roles).read(TableReader(path: path))
        var options = FairnessOptions()
        options.minimumGroupSize = 1
        let strict = FairnessCalculator.evaluate(attribute: "g", groups: aggregates.groups["g"]!, options: options)
        #expect(strict.groups[0].truePositiveRate == nil)
        #expect(disparity(strict, "equal_opportunity_difference").value == nil)
        #expect(disparity(strict, "equal_opportunity_difference").status == "undefined")
        #expect(disparity(strict, "demographic_parity_difference").value == 0)
        options.compatibility = .fairlearn
        let compat = FairnessCalculator.evaluate(attribute: "g", groups: aggregates.groups["g"]!, options: options)
        #expect(compat.groups[0].truePositiveRate == 0)
        #expect(disparity(compat, "equal_opportunity_difference").value == 1)
        options.minimumGroupSize = 3
        let small = FairnessCalculator.evaluate(attribute: "g", groups: aggregates.groups["g"]!, options: options)
        #expect(small.groups.allSatisfy { $0.status == "insufficient_data" })
        #expect(small.disparities.allSatisfy { $0.status == "insufficient_data" })
        // Nobody selected anywhere: ratios are 0/0.
        let none = FairnessCalculator.evaluate(attribute: "g", groups: ["a": Confusion(tp: 0, fp: 0, tn: 3, fn: 1), "b": Confusion(tp: 0, fp: 0, tn: 2, fn: 2)],
                                               options: { var o = FairnessOptions(); o.minimumGroupSize = 1; return o }())
        #expect(disparity(none, "demographic_parity_ratio").value == nil)
        #expect(disparity(none, "demographic_parity_difference").value == 0)
        // One group only: nothing to compare.
        let single = FairnessCalculator.evaluate(attribute: "g", groups: ["a": Confusion(tp: 1, fp: 1, tn: 1, fn: 1)],
                                                 options: { var o = FairnessOptions(); o.minimumGroupSize = 1; return o }())
        #expect(single.disparities.allSatisfy { $0.status == "insufficient_data" })
    }

    @Test("missing sensitive values form their own group; bad labels name file, line and column")
    func badInput() throws {
        let path = try temporaryFile("y,p,g\n1,1,\n0,0,a\n")
        let (aggregates, _) = try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["g"])).read(TableReader(path: path))
        #expect(aggregates.groups["g"]?.keys.sorted() == ["(missing)", "a"])
        let bad = try temporaryFile("y,p,g\n1,1,a\n2,0,a\n")
        let error = #expect(throws: MetricsInputError.self) {
            try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["g"])).read(TableReader(path: bad))
        }
        #expect(error?.description.hasSuffix(":3 column y: is not binary: 2 (use 0/1 or true/false)") == true)
        let skipped = try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["g"]), badRows: .skip).read(TableReader(path: bad)).aggregates
        #expect(skipped.rows == 1 && skipped.skippedRows == 1)
        let unknown = #expect(throws: MetricsInputError.self) {
            try FairnessReader(roles: ColumnRoles(label: "truth", prediction: "p")).read(TableReader(path: bad))
        }
        #expect(unknown?.column == "truth")
    }

    @Test("performance: accuracy, precision, recall, F1, AUC, Brier, ECE")
    func performance() throws {
        let (aggregates, _) = try small([])
        let p = PerformanceMetrics(aggregates: aggregates, thresholds: ["roc_auc": 0.9, "accuracy": 0.6])
        #expect(p.accuracy == 0.625 && p.precision == 0.6 && p.recall == 0.75)
        #expect(abs(p.f1! - 2.0 / 3.0) < 1e-12)
        #expect(p.rocAUC == 0.8125)
        #expect(abs(p.brierScore! - 0.1865625) < 1e-12)
        // One score per bin except 0.55 and 0.6 … each bin's |observed − mean score|, weighted.
        let bins: [(Double, [Bool])] = [(0.2, [false]), (0.3, [false]), (0.4, [true]), (0.55, [false]), (0.6, [true]), (0.7, [false]), (0.8, [true]), (0.9, [true])]
        let ece = bins.reduce(0.0) { $0 + abs(($1.1[0] ? 1 : 0) - $1.0) / 8 }
        #expect(abs(p.expectedCalibrationError! - ece) < 1e-12)
        #expect(p.checks.map(\.status) == ["pass", "fail"])
    }
}

@Suite("Drift statistics against scipy")
struct DriftTests {
    struct Case: Decodable { var n: Int; var m: Int; var d: Double; var p: Double; var w: Double; var std: Double }

    func load(_ name: String) throws -> [Double] {
        try String(contentsOfFile: fixture(name), encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
    }

    @Test("KS statistic and p-value, Wasserstein distance")
    func ksGolden() throws {
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: fixture("ks_expected.json"))))
        for c in cases {
            let a = try load("ks_\(c.n)_\(c.m)_a.txt").sorted(), b = try load("ks_\(c.n)_\(c.m)_b.txt").sorted()
            let walk = Statistics.compareSorted(a, b), d = walk.ks
            #expect(abs(d - c.d) < 1e-12, "D for \(c.n)×\(c.m)")
            #expect(abs(walk.wasserstein - c.w) < 1e-9, "W for \(c.n)×\(c.m)")
            #expect(walk.distinctFirst == Set(a).count && walk.distinctBoth == Set(a + b).count)
            #expect(abs(Statistics.standardDeviation(a) - c.std) < 1e-9)
            let p = Statistics.ksPValue(d: d, n: a.count, m: b.count)
            // Exact up to 10,000 values per sample, kstwo(round(n·m/(n+m))) above, both as scipy.
            #expect(abs(p - c.p) <= 1e-6 * max(c.p, 1e-300), "p for \(c.n)×\(c.m): \(p) vs scipy \(c.p)")
        }
    }

    @Test("the walk over two sorted samples equals the empirical CDFs compared value by value: ties, runs, one-sided values, empty samples")
    func walkAgainstDefinition() {
        /// The definition: at each distinct value, the gap between the two empirical CDFs.
        func direct(_ a: [Double], _ b: [Double]) -> Statistics.SortedComparison {
            var result = Statistics.SortedComparison()
            let values = Set(a + b).sorted()
            (result.distinctFirst, result.distinctBoth) = (Set(a).count, values.count)
            guard !a.isEmpty, !b.isEmpty else { return result }
            for (k, x) in values.enumerated() {
                let gap = abs(Double(a.count { $0 <= x }) / Double(a.count) - Double(b.count { $0 <= x }) / Double(b.count))
                result.ks = max(result.ks, gap)
                if k + 1 < values.count { result.wasserstein += gap * (values[k + 1] - x) }
            }
            return result
        }
        var random = PredictionLogGenerator.SplitMix64(state: 9)
        for (n, m, levels) in [(0, 5, 3), (7, 0, 3), (1, 1, 2), (40, 25, 4), (300, 200, 1000), (150, 400, 12)] {
            let a = (0..<n).map { _ in (random.uniform() * Double(levels)).rounded(.down) }.sorted()
            let b = (0..<m).map { _ in (random.uniform() * Double(levels)).rounded(.down) + 0.5 * (random.uniform() < 0.3 ? 1 : 0) }.sorted()
            #expect(Statistics.compareSorted(a, b) == direct(a, b), "n \(n), m \(m), \(levels) levels")
            // In stretches of a few values (runs of equal ones never split): the same counts and
            // statistic, the area up to the rounding of adding the stretches' sums.
            for stretch in [1, 3, 50] {
                let pieces = Statistics.compareSorted(a, b, stretchValues: stretch), whole = direct(a, b)
                #expect(pieces.distinctFirst == whole.distinctFirst && pieces.distinctBoth == whole.distinctBoth && pieces.ks == whole.ks,
                        "n \(n), m \(m), stretches of \(stretch)")
                #expect(abs(pieces.wasserstein - whole.wasserstein) <= 1e-12 * max(1, whole.wasserstein), "n \(n), m \(m), stretches of \(stretch)")
            }
        }
    }

    @Test("data quality by hand: missing share, distinct values, constant column, Tukey outliers, out of range, not allowed, duplicates")
    func qualityByHand() throws {
        let log = try temporaryFile("a,b,c\n1,x,5\n2,y,5\n3,x,5\n4,,5\n100,z,5\n1,x,5\n")
        let schema = ["a": ColumnSchema(minimum: 1, maximum: 50), "b": ColumnSchema(allowed: ["x", "y"], required: true)]
        let report = try #require(try MetricsJobs.quality(input: TableReader(path: log), schema: schema).quality)
        #expect(report.rows == 6 && report.duplicateRows == 1)  // the last row repeats the first
        let a = report.columns[0], b = report.columns[1], c = report.columns[2]
        // a sorted: 1 1 2 3 4 100; quartiles 1.25 and 3.75 (numpy's interpolation), fences -2.5 and 7.5.
        #expect(a.type == "numerical" && a.distinct == 5 && a.outliers == 1 && a.outOfRange == 1 && !a.constant)
        #expect(b.type == "categorical" && b.missing == 1 && b.count == 5 && b.distinct == 3 && b.invalid == 1)
        #expect(b.missingShare == 1.0 / 6 && b.issues.contains("1 missing values in a required column"))
        #expect(c.constant && c.distinct == 1 && c.issues == ["constant column"])
        // Almost as many categories as values: identifiers, not categories.
        let ids = try temporaryFile("id\n" + (0..<120).map { "u\($0)\n" }.joined())
        #expect(try MetricsJobs.quality(input: TableReader(path: ids), schema: [:]).quality?.columns[0].categoryExplosion == true)
    }

    @Test("quality of sorted and unsorted numbers is the same: distinct values, outliers and ranges from sorted runs")
    func qualitySortedOrNot() {
        var random = PredictionLogGenerator.SplitMix64(state: 21)
        let values = (0..<20_000).map { k in k % 97 == 0 ? 1e6 * random.uniform() : (random.uniform() * 300).rounded() / 4 }
        var unsorted = ColumnSample(), sorted = ColumnSample()
        unsorted.numbers = values
        sorted.numbers = values.sorted()
        sorted.sorted = true
        let schema = ["x": ColumnSchema(minimum: 2, maximum: 70)]
        let reports = [unsorted, sorted].map { QualityCalculator.evaluate(names: ["x"], samples: [$0], numeric: [true], rows: values.count, duplicates: 0, schema: schema) }
        #expect(reports[0] == reports[1])
        let column = reports[0].columns[0]
        #expect(column.distinct == Set(values).count)
        #expect(column.outOfRange == values.count { $0 < 2 || $0 > 70 })
        let ordered = values.sorted(), (q1, q3) = (QualityCalculator.quantile(ordered, 0.25), QualityCalculator.quantile(ordered, 0.75))
        #expect(column.outliers == values.count { $0 < q1 - 1.5 * (q3 - q1) || $0 > q3 + 1.5 * (q3 - q1) })
    }

    @Test("sorted runs merge into the sorted union, ties and empty runs included")
    func mergeRuns() {
        var random = PredictionLogGenerator.SplitMix64(state: 5)
        for sizes in [[0, 0], [3, 0], [0, 4], [50, 70, 1], [200, 199, 0, 64]] {
            let runs = sizes.map { n in (0..<n).map { _ in (random.uniform() * 40).rounded() / 4 }.sorted() }
            let (a, b) = Statistics.lastTwo(runs)
            #expect(Statistics.mergeSorted(a, b) == runs.flatMap { $0 }.sorted(), "sizes \(sizes)")
            // Distinct values of the union (duplicate rows are counted so), ties within and across runs.
            var hashes = sizes.map { n in (0..<n).map { _ in random.next() % 97 }.sorted() }
            let expected = Set(hashes.flatMap { $0 }).count
            #expect(DriftReader.distinct(&hashes) == expected && hashes.isEmpty, "sizes \(sizes)")
        }
    }

    @Test("one-sample KS distribution matches scipy's kstwo.sf in every algorithm's range")
    func kstwo() throws {
        struct Fixture: Decodable {
            struct Case: Decodable { var n: Int; var x: Double; var sf: Double }
            var cases: [Case]
        }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: fixture("kstwo_expected.json"))))
        for c in fixture.cases {
            let sf = KolmogorovDistribution.survival(n: c.n, x: c.x)
            #expect(abs(sf - c.sf) <= 1e-6 * c.sf + 1e-15, "kstwo.sf(\(c.x), \(c.n)): \(sf) vs scipy \(c.sf)")
        }
    }

    @Test("radix sort orders doubles as sort() does: negatives, zeros, ties, extremes")
    func radixSort() {
        var random = PredictionLogGenerator.SplitMix64(state: 9)
        var values = (0..<20_000).map { _ in (random.uniform() - 0.5) * 1e6 }
        values += [0, -0.0, 1, 1, 1, -1e300, 1e300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .infinity, -.infinity]
        values += (0..<5000).map { Double($0 % 7) }
        func radixSorted(_ values: [Double]) -> [Double] {
            var copy = values
            copy.radixSort()
            return copy
        }
        #expect(radixSorted(values) == values.sorted())
        #expect(radixSorted([3.0, 1, 2]) == [1, 2, 3])
        let constant = [Double](repeating: 0.25, count: 10_000)
        #expect(radixSorted(constant) == constant)
        // Powers of 2⁸ differ only in the top nine bits: one pass scatters (an odd number), and the
        // result must still land in the array's own storage.
        let coarse: [Double] = (0..<10_000).map { (i: Int) -> Double in Double(sign: .plus, exponent: 8 * ((i * 7) % 100 - 50), significand: 1) }
        var inPlace = coarse
        inPlace.radixSort()
        #expect(inPlace == coarse.sorted())
        // With a payload, each tag follows its key, and ties keep their order (odd and even pass counts).
        for keys in [coarse, values] {
            var sortedKeys = keys, tags = (0..<keys.count).map(UInt32.init)
            RadixSort.sort(&sortedKeys, carrying: &tags)
            // -0.0 sorts before 0.0 (by its bits); otherwise by value, then by position.
            let expected = keys.indices.sorted { (keys[$0], keys[$0].sign == .minus ? 0 : 1, $0) < (keys[$1], keys[$1].sign == .minus ? 0 : 1, $1) }
            #expect(sortedKeys == expected.map { keys[$0] } && tags == expected.map(UInt32.init))
        }
    }

    @Test("32-bit integers sort into buckets by their top bits and each bucket by the rest, as sort() orders them; 64-bit by radix passes")
    func radixSortIntegers() {
        var random = PredictionLogGenerator.SplitMix64(state: 13)
        // Spans of 32 bits (three passes below the buckets' eight: the result lands in place),
        // 22 and 24 bits (two: each bucket is copied back), amounts bunched in a few buckets as
        // incomes are, and values all but a few of which share one bucket (the others' buckets
        // are small enough to be sorted directly).
        let spans: [[Int32]] = [
            (0..<20_000).map { _ in Int32(truncatingIfNeeded: random.next()) },
            (0..<20_000).map { _ in Int32(-5 + Int64(random.next() % (1 << 21 + 6))) },
            (0..<20_000).map { _ in Int32(random.next() % (1 << 24)) },
            (0..<20_000).map { _ in Int32(3_800_000 + Int64(random.next() % 1_200_000) - Int64(random.next() % 1_200_000)) },
            (0..<20_000).map { i in i % 1000 == 0 ? Int32(i) * 4000 : Int32(70_000_000 + Int64(random.next() % 9000)) },
            // Sixteen bits, most values in the lower half: those buckets hold more than half the
            // integers they span and are counted, the upper ones are sorted by their bits.
            (0..<50_000).map { i in Int32(-40_000 + Int64(i % 10 == 0 ? 32_768 + random.next() % 32_768 : random.next() % 32_768)) },
        ]
        for var values in spans {
            values += [values[0], values[0], values[7], values.min()!, values.max()!]
            let expected = values.sorted()
            _ = values.withUnsafeMutableBufferPointer { RadixSort.sort($0) }
            #expect(values == expected)
        }
        // Given directly, keys whose span fits the eight bits of the buckets need no pass below them.
        var narrow = (0..<5000).map { _ in UInt32(1000 + random.next() % 200) }
        let narrowSorted = narrow.sorted()
        narrow.withUnsafeMutableBufferPointer { RadixSort.sortInBuckets($0, low: 1000, span: 199) }
        #expect(narrow == narrowSorted)
        // Values spanning no more integers than there are values are counted instead: ages, a
        // dense band of negatives, a span exactly the count, one value; the last, with both extremes, is radix sorted.
        let dense: [[Int32]] = [
            (0..<20_000).map { _ in Int32(18 + random.next() % 73) },
            (0..<20_000).map { _ in Int32(-30_000 + Int64(random.next() % 20_000)) },
            (0..<10_000).map { Int32(($0 * 7_919) % 10_000) - 5_000 },
            [Int32](repeating: -7, count: 5_000),
            (0..<10_000).map { _ in Int32(random.next() % 10_001) } + [Int32.min, Int32.max],
        ]
        for var values in dense {
            let expected = values.sorted()
            _ = values.withUnsafeMutableBufferPointer { RadixSort.sort($0) }
            #expect(values == expected)
        }
        // Values spanning no more integers than there are of them are counted, and the counts kept.
        var spanned = (0..<10_000).map { Int32($0) }.reversed() as [Int32]
        let counts = spanned.withUnsafeMutableBufferPointer { RadixSort.sort($0) }
        #expect(counts?.low == 0 && counts?.counts == [UInt32](repeating: 1, count: 10_000) && spanned == (0..<10_000).map { Int32($0) })
        var sparse = (0..<10_000).map { Int32($0 * 2) }.reversed() as [Int32]
        #expect(sparse.withUnsafeMutableBufferPointer { RadixSort.sort($0) } == nil && sparse == (0..<10_000).map { Int32($0 * 2) })
        // 64-bit hashes (duplicate rows are counted from them sorted): six passes, ties kept.
        var hashes = (0..<20_000).map { _ in random.next() } + [0, .max, 42, 42]
        let expected = hashes.sorted()
        hashes.radixSort()
        #expect(hashes == expected)
    }

    @Test("numbers kept as scaled integers give back exactly the doubles the parser gives, whatever the scale")
    func scaledNumbers() {
        var random = PredictionLogGenerator.SplitMix64(state: 21)
        // Decimals of 0 to 6 places in any order: the scale grows and earlier values are rescaled.
        let texts = (0..<3000).map { i -> String in
            let places = Int(random.next() % 7), integer = Int(random.next() % 2000) - 1000
            return places == 0 ? "\(integer)" : "\(integer).\(String(format: "%0\(places)d", Int(random.next() % UInt64(pow(10, Double(places))))))"
        }
        let scaled = column(texts)
        #expect(scaled.exact && scaled.scale == 6)
        #expect(scaled.values == texts.map { Double($0)! })
        // Exponents and JSON numbers that are decimals stay integers; "-0" keeps its sign as a double.
        let mixed = column(["1e-06", "2.5", "-3", "0.125"])
        #expect(mixed.exact && mixed.values == [1e-06, 2.5, -3, 0.125])
        let negativeZero = column(["1", "-0"])
        #expect(!negativeZero.exact && negativeZero.values.map(\.sign) == [.plus, .minus])
        // Past 32 bits, or a value no short decimal gives, the column turns into doubles, values intact.
        for texts in [["1.5", "3000000000"], ["0.25", "21474836.48"], ["2", "0.1234567891"], ["1", "1e300"]] {
            let wide = column(texts)
            #expect(!wide.exact && wide.values == texts.map { Double($0)! }, "\(texts)")
        }
        var third = NumberColumn()
        third.append(1 / 3)
        #expect(!third.exact && third.values == [1 / 3])
        // A block stops at its first cell that is not a number, missing cells counted up to it.
        var stopped = NumberColumn(), missing = 0
        let cells = ["1.5", "", "2", "x", "3"]
        #expect(withEveryRow(cells.count) { stopped.append(0, of: TextBlock(cells), picked: $0, missing: &missing) } == 3)
        #expect(stopped.values == [1.5, 2] && missing == 1)
        // Cells taken straight into the column between those it takes one at a time (a finer scale,
        // an exponent, a value past 32 bits, after which it holds doubles): all in order, the stop
        // and the missing ones as before.
        var interleaved = NumberColumn()
        let mixedCells = ["1", "", "2.25", "1e1", "", "7", "3000000000", "4", "x", "5"]
        missing = 0
        #expect(withEveryRow(mixedCells.count) { interleaved.append(0, of: TextBlock(mixedCells), picked: $0, missing: &missing) } == 8)
        #expect(interleaved.values == [1, 2.25, 10, 7, 3e9, 4] && missing == 2 && !interleaved.exact)
        missing = 0
        // Only the rows picked, in their order.
        var picked = NumberColumn()
        let positions: [Int32] = [0, 2, 4]
        #expect(positions.withUnsafeBufferPointer { picked.append(0, of: TextBlock(cells), picked: $0, missing: &missing) } == 3)
        #expect(picked.values == [1.5, 2, 3])
    }

    @Test("parts at different scales join as integers when they fit and as doubles when not, the largest part first, and sort whole")
    func joinScaledParts() {
        let a = ["1.5", "-2", "3"], b = ["0.125", "1", "-0.75", "2"]
        var parts = [column(a), column(b)]
        #expect(parts[0].scale == 1 && parts[1].scale == 3)
        var joined = NumberColumn.joined(&parts)
        // The larger part's values first (its buffer grows in place), then the others in order.
        #expect(joined.exact && joined.scale == 3 && joined.values == [0.125, 1, -0.75, 2, 1.5, -2, 3] && parts.isEmpty)
        joined.sort()
        #expect(joined.sorted && joined.values == (a + b).map { Double($0)! }.sorted())
        // The finer part first, an empty part, and a part alone keep their values and scale.
        var three = [column(b), NumberColumn(), column(a)]
        let finerFirst = NumberColumn.joined(&three)
        #expect(finerFirst.exact && finerFirst.scale == 3 && finerFirst.values == [0.125, 1, -0.75, 2, 1.5, -2, 3])
        var alone = [column(b)]
        #expect(NumberColumn.joined(&alone).values == [0.125, 1, -0.75, 2] && alone.isEmpty)
        // 3,000,000 fits at one place but not at the other part's three: both join as doubles.
        var wide = [column(a + ["3000000"]), column(b)]
        #expect(wide[0].exact && wide[1].exact)
        let doubles = NumberColumn.joined(&wide)
        #expect(!doubles.exact && doubles.values == [1.5, -2, 3, 3e6, 0.125, 1, -0.75, 2])
    }

    @Test("a growing buffer keeps every value through growth; columns sharing one copy it before either changes")
    func growingBuffer() {
        let buffer = GrowingBuffer<Int32>()
        var expected: [Int32] = []
        for block in 0..<300 {
            let values = (0..<(block % 7 == 0 ? 1 : 37)).map { Int32(block * 1000 + $0) }
            values.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
            expected += values
        }
        buffer.append(-5)
        expected.append(-5)
        buffer.append(contentsOf: UnsafeBufferPointer(start: nil, count: 0))
        #expect(Array(buffer.values) == expected && buffer.capacity >= buffer.count)
        buffer.reserve(buffer.count + 100_000)
        let copy = buffer.copy()
        buffer.values[0] = 99
        #expect(Array(copy.values) == expected && buffer.values[0] == 99 && buffer.count == expected.count)
        let singles = GrowingBuffer<Double>()
        for k in 0..<3000 { singles.append(Double(k) / 4) }
        #expect(Array(singles.values) == (0..<3000).map { Double($0) / 4 })

        // Absorbed buffers hand over their values (whole pages moved, the rest copied) and are left
        // empty; the buffer then grows on as before.
        let sizes = [5_000, 3_000, 1_024, 0, 70_001]
        let buffers = sizes.enumerated().map { k, size in
            let buffer = GrowingBuffer<Int32>()
            for v in 0..<size { buffer.append(Int32(k * 100_000 + v)) }
            return buffer
        }
        buffers[0].absorb(Array(buffers.dropFirst()))
        var all = sizes.enumerated().flatMap { k, size in (0..<size).map { Int32(k * 100_000 + $0) } }
        #expect(buffers[0].values.sorted() == all && buffers.dropFirst().allSatisfy { $0.count == 0 })
        for v in 0..<200_000 { buffers[0].append(Int32(-v)) }
        all += (0..<200_000).map { Int32(-$0) }
        #expect(buffers[0].values.sorted() == all.sorted())

        // Value semantics: a copy sorted, or two brought to one scale, leave the original as it was.
        let original = column(["3.5", "-1", "2.25", "0"])
        var sorted = original
        sorted.sort()
        #expect(sorted.values == [-1, 0, 2.25, 3.5] && original.values == [3.5, -1, 2.25, 0] && !original.sorted)
        let finer = column(["0.125"])
        let (a, b) = NumberColumn.atOneScale(original, finer)!
        #expect(a.scale == 3 && b.scale == 3 && original.scale == 2 && a.values == original.values && b.values == [0.125])
        var parts = [finer, original]
        let joined = NumberColumn.joined(&parts)
        #expect(joined.values == [3.5, -1, 2.25, 0, 0.125] && original.values == [3.5, -1, 2.25, 0] && original.scale == 2)
    }

    @Test("integer columns compare, count and bin exactly as their doubles do, at one scale, at two, and as doubles, alone or walked together; their spread is summed exactly")
    func integerWalk() {
        var random = PredictionLogGenerator.SplitMix64(state: 17)
        func texts(_ n: Int, places: Int, levels: Int) -> [String] {
            (0..<n).map { _ in
                let units = Int(random.next() % UInt64(levels)) - levels / 3
                return places == 0 ? "\(units)" : String(format: "%.\(places)f", Double(units) / pow(10, Double(places)))
            }
        }
        let cases: [([String], [String])] = [
            (texts(3000, places: 2, levels: 5000), texts(2000, places: 2, levels: 5000)),  // one scale, mostly distinct
            (texts(500, places: 0, levels: 30), texts(700, places: 0, levels: 30)),  // runs of equal values
            (texts(400, places: 1, levels: 90), texts(300, places: 3, levels: 9000)),  // two scales, brought to one
            (texts(300, places: 2, levels: 100) + ["3000000"], texts(200, places: 3, levels: 100)),  // no common scale: doubles
            ([], texts(50, places: 2, levels: 10)), (texts(50, places: 2, levels: 10), []),
            // Eight values or more to an integer of the span: walked over counts per integer (5000
            // values are counted by their sort, 3000 and fewer are counted for the walk).
            (texts(5000, places: 0, levels: 7), texts(3000, places: 0, levels: 4)),  // long runs, values in one sample only
            (texts(1000, places: 1, levels: 40), texts(900, places: 1, levels: 40)),
            ([], texts(400, places: 0, levels: 5)), (texts(400, places: 0, levels: 5), []),
        ]
        var pairs: [(NumberColumn, NumberColumn)] = []
        for (x, y) in cases {
            var (a, b) = (column(x), column(y))
            a.sort()
            b.sort()
            pairs.append((a, b))
            let (da, db) = (a.values, b.values)
            #expect(da == x.map { Double($0)! }.sorted() && db == y.map { Double($0)! }.sorted())
            let whole = Statistics.compareSorted(a, b)
            #expect(whole == Statistics.compareSorted(da, db), "\(x.count) × \(y.count)")
            // In stretches (dense columns are walked whole, by runs): the same counts and KS, the area
            // up to the rounding of adding the stretches' sums.
            for stretch in [1, 3, 50] {
                let pieces = Statistics.compareSorted(a, b, stretchValues: stretch)
                #expect(pieces.distinctFirst == whole.distinctFirst && pieces.distinctBoth == whole.distinctBoth && pieces.ks == whole.ks
                        && abs(pieces.wasserstein - whole.wasserstein) <= 1e-12 * max(1, whole.wasserstein), "\(x.count) × \(y.count), stretches of \(stretch)")
            }
            // Integers are summed exactly and rounded once; doubles summed in turn round at every step.
            #expect(abs(a.standardDeviation - Statistics.standardDeviation(da)) <= 1e-12 * Statistics.standardDeviation(da))
            var runs: [Double: Int] = [:]
            a.forEachRun { value, count in runs[value, default: 0] += count }
            #expect(runs == Dictionary(da.map { ($0, 1) }, uniquingKeysWith: +))
            let edges = Statistics.sturgesEdges(da + db)
            #expect(Statistics.histogram(count: a.count, edges: edges, value: a.value(at:)) == Statistics.histogram(sorted: da, edges: edges))
        }
        // All the pairs at once, their stretches shared out together: each as when walked alone.
        for stretch in [3, 1 << 20] {
            #expect(Statistics.compareSorted(pairs: pairs, stretchValues: stretch) == pairs.map { Statistics.compareSorted($0.0, $0.1, stretchValues: stretch) })
        }
        #expect(Statistics.compareSorted(pairs: []).isEmpty)
        #expect(column(["1", "2", "3", "4"]).standardDeviation == 1.25.squareRoot())
        #expect(column(["0.1", "0.2", "0.3", "0.4"]).standardDeviation == 1.25.squareRoot() / 10)
        #expect(column(["7"]).standardDeviation == 0 && NumberColumn().standardDeviation == 0)
        #expect(NumberColumn.atOneScale(column(["1.5"]), column(["2.25"]))?.0.scale == 2)
        #expect(NumberColumn.atOneScale(column(["3000000"]), column(["0.125"])) == nil)
        // A column the sort counted keeps its counts for the walk, until it changes.
        var counted = column(texts(5000, places: 0, levels: 7))
        counted.sort()
        let values = counted.values
        #expect(counted.counts?.counts == (0..<7).map { level in UInt32(values.count { $0 == Double(level) + values[0] }) } && counted.counts?.low == Int(values[0]))
        counted.append(3)
        #expect(counted.counts == nil)
    }

    @Test("byte comparison: equal at every length, and a difference at any position is found")
    func sameBytes() {
        for count in 0...40 {
            let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBufferPointer { x in
                Array(a).withUnsafeBufferPointer { y in #expect(x.sameBytes(as: y), "length \(count)") }
                (Array(a) + [0]).withUnsafeBufferPointer { longer in #expect(!x.sameBytes(as: longer)) }
                for position in 0..<count {
                    var b = a
                    b[position] ^= 0x20
                    b.withUnsafeBufferPointer { y in #expect(!x.sameBytes(as: y), "length \(count), position \(position)") }
                }
            }
        }
    }

    @Test("too many groups to intersect: an error, or with --skip-bad-rows every such row skipped, repeats included")
    func tooManyGroups() throws {
        // Eight or nine attributes leave seven bits per group slot: 128 groups of `a` fit, the rest
        // do not. Every row is interned (`CellCache` takes two or three attributes), so every row
        // is checked.
        for others in [7, 8] {
            let attributes = ["a"] + (1...others).map { "b\($0)" }
            var text = "y,p," + attributes.joined(separator: ",") + "\n"
            var expected: [String: Int] = [:]
            for _ in 0..<2 {
                for g in 0..<200 {
                    text += "1,\(g % 2),g\(g)" + String(repeating: ",x", count: others) + "\n"
                    if g < 128 { expected["g\(g)", default: 0] += 1 }
                }
            }
            let path = try temporaryFile(text)
            let roles = ColumnRoles(label: "y", prediction: "p", sensitive: attributes)
            #expect(throws: MetricsInputError.self) { try FairnessReader(roles: roles).read(TableReader(path: path)) }
            let skipped = try FairnessReader(roles: roles, badRows: .skip).read(TableReader(path: path)).aggregates
            #expect(skipped.rows == 256 && skipped.skippedRows == 144)
            #expect(skipped.groups["a"]!.mapValues(\.count) == expected)
            #expect(skipped.groups[attributes.joined(separator: "|")]!.count == 128)
        }
    }

    @Test("a row's cell found from its groups' bytes is the one interning finds: short, long, empty and quoted values")
    func cellCache() throws {
        // The short word tells apart every string of one length: all over a three-letter alphabet up to five letters.
        var strings: [[UInt8]] = [[]]
        for length in 1...5 {
            strings = strings.flatMap { s in s.count == length - 1 ? [s] + "abc".utf8.map { s + [$0] } : [s] }
            let words = strings.filter { $0.count == length }.map { $0.withUnsafeBufferPointer { $0.shortWord! } }
            #expect(Set(words).count == words.count)
        }
        #expect([UInt8](repeating: 7, count: 9).withUnsafeBufferPointer { $0.shortWord } == nil)
        // Three attributes whose values run from empty to twelve bytes, some quoted, some pairs with
        // the same short word ("a" and "aaa", "abcd" and "abcdabcd": only their lengths differ): the
        // counts per cell, attribute and intersection are those of the rows, counted here as text.
        let values = ["", "a", "aaa", "ab", "abc", "abcd", "abcdabcd", "abcdefgh", "abcdefgx", "abcdefghi", "abcdefghj", "\"x,y\"", "twelve bytes"]
        var random = PredictionLogGenerator.SplitMix64(state: 21)
        var text = "y,p,s,t,u\n"
        var expected: [String: Confusion] = [:]
        for _ in 0..<3_000 {
            let (y, p) = (random.next() % 2, random.next() % 2)
            let cells = (0..<3).map { _ in values[Int(random.next() % UInt64(values.count))] }
            text += "\(y),\(p)," + cells.joined(separator: ",") + "\n"
            let key = cells.map { $0.isEmpty ? FairnessReader.missingGroup : $0.replacingOccurrences(of: "\"", with: "") }.joined(separator: "|")
            var counts = expected[key, default: Confusion()]
            switch (y, p) {
            case (1, 1): counts.truePositives += 1
            case (0, 1): counts.falsePositives += 1
            case (0, 0): counts.trueNegatives += 1
            default: counts.falseNegatives += 1
            }
            expected[key] = counts
        }
        let path = try temporaryFile(text)
        let aggregates = try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["s", "t", "u"])).read(TableReader(path: path)).aggregates
        #expect(aggregates.groups["s|t|u"] == expected && expected.count > 1_000)
        /// The expected counts summed over the groups of the first `attributes` attributes.
        func summed(_ attributes: Int) -> [String: Confusion] {
            Dictionary(grouping: expected, by: { $0.key.split(separator: "|", omittingEmptySubsequences: false)[..<attributes].joined(separator: "|") })
                .mapValues { $0.map(\.value).reduce(Confusion(), +) }
        }
        #expect(aggregates.groups["s"] == summed(1))
        // Two attributes: their key's third word stays empty.
        let pairs = try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["s", "t"])).read(TableReader(path: path)).aggregates
        #expect(pairs.groups["s|t"] == summed(2) && pairs.groups["t"] == aggregates.groups["t"])
    }

    @Test("prediction and label drift are marked by role")
    func roles() throws {
        let path = Scratch.path("aims-roles", suffix: ".csv")
        try PredictionLogGenerator(rows: 400, seed: 5).write(to: path)
        var options = DriftOptions()
        options.roles = DriftOptions.roles(label: "y_true", prediction: "y_pred", score: "score")
        let report = try MetricsJobs.drift(source: .split(TableReader(path: path), column: "split", reference: "reference", current: "current"),
                                           reader: DriftReader(columns: ["income", "score", "y_pred", "y_true"], categorical: ["y_pred", "y_true"]), options: options)
        #expect(report.drift?.map(\.role) == [nil, "score", "prediction", "label"])
        #expect(ReportText.render(report, markdown: false).contains("y_pred (prediction)"))
    }

    @Test("a few values that are not numbers make an inferred column categorical, and the report says which")
    func notNumbers() throws {
        // Income holds two "n/a" and an "abc" among 2,997 numbers; region is text.
        var rows = ["split,income,region"]
        for i in 0..<3_000 {
            let income = i == 10 ? "n/a" : i == 1_500 ? "abc" : i == 2_990 ? "n/a" : String(format: "%.2f", Double(i % 97) * 10.5)
            rows.append("\(i % 2 == 0 ? "reference" : "current"),\(income),\(["north", "south", "east"][i % 3])")
        }
        let path = try temporaryFile(rows.joined(separator: "\n") + "\n")
        let analysis = LogAnalysis(drift: DriftReader(columns: ["income", "region"]), split: DriftReader.Split(column: "split"))
        let windows = try analysis.read(TableReader(path: path)).drift!
        #expect(windows.numeric == [false, false])
        #expect(windows.notNumbers[0] == NotNumbers(count: 3, values: ["abc", "n/a"], numbers: 2_997))
        #expect(windows.notNumbers[1] == nil)  // text, not numbers with a slip
        let report = try MetricsJobs.drift(source: .split(TableReader(path: path), column: "split", reference: "reference", current: "current"),
                                           reader: DriftReader(columns: ["income", "region"]), options: DriftOptions())
        #expect(report.drift?.first?.notNumbers?.count == 3 && report.drift?.first?.type == "categorical")
        let text = ReportText.render(report, markdown: false)
        #expect(text.contains(#"income is categorical: 3 of its values are not a number ("abc", "n/a"), the other 2997 are."#), "\(text)")
        #expect(try report.json().contains(#""notNumbers""#))
        // The amounts read as text after the slip ("10.50") and as numbers before it (10.5) are
        // one category: both windows hold the same amounts, so nothing is new and nothing drifted.
        #expect((report.drift?.first?.newCategories ?? []).isEmpty && report.drift?.first?.drifted == false)
        #expect(DriftReader.normalised(["10.50": 2, "10.5": 1, "1e1": 1, "10": 1, "n/a": 3]) == ["10.5": 3, "10": 2, "n/a": 3])
        // A long list of new categories: the table shows five and counts the rest.
        #expect(ReportText.listed((1...8).map(String.init)) == "1, 2, 3, 4, 5, … (3 more)" && ReportText.listed(["a", "b"]) == "a, b")
        // Declared categorical: no note. More than a hundred that are not numbers: a categorical column.
        let declared = try MetricsJobs.drift(source: .split(TableReader(path: path), column: "split", reference: "reference", current: "current"),
                                             reader: DriftReader(columns: ["income"], categorical: ["income"]), options: DriftOptions())
        #expect(declared.drift?.first?.notNumbers == nil)
        func sample(_ categories: [String: Int]) -> ColumnSample {
            var sample = ColumnSample()
            sample.categories = categories
            return sample
        }
        #expect(DriftReader.notNumbers([sample(["1": 5, "x": 101])]) == nil)
        #expect(DriftReader.notNumbers([sample(["1": 5, "x": 100])])?.count == 100)
        // Every distinct value once, sorted; the sentence quotes three and marks the rest.
        let five = DriftReader.notNumbers([sample(["1": 9, "e": 1, "d": 1, "c": 1]), sample(["b": 1, "a": 1, "c": 1])])
        #expect(five == NotNumbers(count: 6, values: ["a", "b", "c", "d", "e"], numbers: 9))
        var column = report.drift![0]
        column.notNumbers = five
        #expect(ReportText.notNumbersNote(column)?.hasPrefix(#"income is categorical: 6 of its values are not a number ("a", "b", "c", …), the other 9 are."#) == true)
        #expect(DriftReader.notNumbers([sample(["x": 2])]) == nil)
    }

    @Test("chi-square, Jensen–Shannon, Sturges bins, normal tails")
    func others() {
        #expect(abs(Statistics.chiSquareTest(observed: [10, 20, 30], expected: [15, 25, 20]) - 0.021637370719493086) < 1e-12)
        #expect(abs(Statistics.chiSquareSurvival(7.5, degreesOfFreedom: 3) - 0.0575584519726364) < 1e-12)
        #expect(abs(Statistics.jensenShannon([0.1, 0.4, 0.5], [0.2, 0.3, 0.5]) - 0.10990281338794596) < 1e-12)
        #expect(Statistics.sturgesEdges([1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7, 8]).map { ($0 * 1e9).rounded() / 1e9 } == [1, 2.4, 3.8, 5.2, 6.6, 8])
        // Histogram of sorted values: half-open bins, the last one closed, values outside uncounted.
        let edges = [1.0, 2.4, 3.8, 5.2]
        #expect(Statistics.histogram(sorted: [0, 1, 1, 2.4, 2.5, 3.8, 5.2, 5.2, 9], edges: edges) == [2, 2, 3])
        #expect(Statistics.histogram(sorted: [], edges: edges) == [0, 0, 0])
        #expect(abs(Statistics.normalTwoSided(1.959963984540054) - 0.05) < 1e-12)
        #expect(Statistics.normalTwoSided(60) == 0)
        #expect(Statistics.ksPValue(d: 1, n: 20_000, m: 20_000) == 0)
    }

    @Test("drift decisions: test chosen by type and size, new categories, constant columns, never NaN")
    func decisions() {
        var reference = ColumnSample(), current = ColumnSample()
        reference.numbers = (0..<100).map(Double.init)
        current.numbers = (50..<150).map(Double.init)
        let shifted = DriftCalculator.compare(column: "x", numeric: true, reference: reference, current: current, options: DriftOptions())
        #expect(shifted.decidingTest == "ks" && shifted.drifted)
        reference.numbers = (0..<2000).map { Double($0 % 100) }
        current.numbers = (0..<2000).map { Double($0 % 100) }
        let same = DriftCalculator.compare(column: "x", numeric: true, reference: reference, current: current, options: DriftOptions())
        #expect(same.decidingTest == "wasserstein" && !same.drifted)
        var cats = ColumnSample(), newer = ColumnSample()
        cats.categories = ["a": 50, "b": 50]
        newer.categories = ["a": 20, "b": 20, "c": 60]
        let categorical = DriftCalculator.compare(column: "c", numeric: false, reference: cats, current: newer, options: DriftOptions())
        #expect(categorical.decidingTest == "chisquare" && categorical.drifted)
        #expect(categorical.newCategories == ["c"])
        var constant = ColumnSample()
        constant.numbers = Array(repeating: 3, count: 50)
        let flat = DriftCalculator.compare(column: "k", numeric: true, reference: constant, current: constant, options: DriftOptions())
        #expect(flat.decidingTest == "z" && !flat.drifted)
        for test in flat.tests + categorical.tests + same.tests { #expect(test.value.map(\.isFinite) ?? true) }
        let dataset = DriftCalculator.dataset([shifted, same, categorical, flat], options: DriftOptions())
        #expect(dataset.driftedColumns == 2 && dataset.drifted)
    }
}

/// A column of cells as text, one row each, read as a CSV row reads them.
struct TextBlock: TableBlock {
    struct Row: TableRow {
        let text: String
        var line: Int { 1 }
        func text(_ column: Int) -> String? { text.isEmpty ? nil : text }
        func number(_ column: Int) -> Double?? { text.isEmpty ? .some(nil) : Double(text).map { .some($0) } ?? nil }
        func numeric(_ column: Int) -> NumericCell {
            var text = text
            return text.withUTF8 { NumericCell(text: $0) }
        }
    }
    let rows: [Row]
    init(_ texts: [String]) { rows = texts.map(Row.init) }
    var count: Int { rows.count }
    subscript(_ r: Int) -> Row { rows[r] }
}

/// A column made of `texts` through the block path the readers take; every text must be a number.
func column(_ texts: [String]) -> NumberColumn {
    var column = NumberColumn(), missing = 0
    let stopped = withEveryRow(texts.count) { column.append(0, of: TextBlock(texts), picked: $0, missing: &missing) }
    #expect(stopped == texts.count && missing == 0, "\(texts) are not all numbers")
    return column
}
