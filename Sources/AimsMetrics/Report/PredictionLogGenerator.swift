import Foundation

/// Writes synthetic prediction logs from a seed: the same seed always gives the same bytes, so
/// golden values computed by other tools on a generated file stay valid, and benchmarks can make
/// files of any size. The current window drifts (income shifts, a new region appears) and the
/// model is slightly unfair by sex and race, so every metric has something to find.
public struct PredictionLogGenerator {
    public var rows: Int
    public var seed: UInt64

    public init(rows: Int, seed: UInt64 = 42) {
        self.rows = rows
        self.seed = seed
    }

    /// SplitMix64: small, fast and fully specified, unlike the platform's random generator.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func normal() -> Double {
            let u = max(uniform(), 1e-300), v = uniform()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    public static let header = "id,split,sex,race,region,age,income,score,y_true,y_pred\n"
    static let races = ["white", "black", "asian", "hispanic", "other"]
    static let raceWeights = [0.6, 0.13, 0.12, 0.1, 0.05]
    static let regions = ["north", "south", "east", "west", "central", "coast", "valley", "hills", "metro"]

    /// Writes the log; returns the number of bytes written.
    @discardableResult
    public func write(to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw MetricsInputError(file: path, problem: "cannot be written")
        }
        defer { try? handle.close() }
        var random = SplitMix64(state: seed)
        var buffer = Self.header
        var written = 0
        for i in 0..<rows {
            let current = i >= rows / 2
            let sex = random.uniform() < 0.5 ? "f" : "m"
            var pick = random.uniform(), race = Self.races.last!
            for (name, weight) in zip(Self.races, Self.raceWeights) {
                if pick < weight { race = name; break }
                pick -= weight
            }
            let regionIndex = Int(random.uniform() * Double(Self.regions.count))
            let region = current && random.uniform() < 0.05 ? "island" : Self.regions[min(regionIndex, Self.regions.count - 1)]
            let age = max(18, min(90, Int((40 + 12 * random.normal()).rounded())))
            let income = max(0, (current ? 41_000 : 38_000) + 12_000 * random.normal())
            let latent = 0.00004 * (income - 38_000) + 0.02 * Double(age - 40) + 0.8 * random.normal()
            let truth = latent + 0.3 * random.normal() > 0
            // The model under-scores one group a little: something for the fairness checks to find.
            let bias = (sex == "f" ? -0.15 : 0) + (race == "black" ? -0.2 : 0)
            let score = 1 / (1 + exp(-(latent + bias)))
            let rounded = (score * 1_000_000).rounded() / 1_000_000
            buffer += "\(i),\(current ? "current" : "reference"),\(sex),\(race),\(region),\(age),\(String(format: "%.2f", income)),\(rounded),\(truth ? 1 : 0),\(rounded >= 0.5 ? 1 : 0)\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                written += buffer.utf8.count
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        return written + buffer.utf8.count
    }
}
