/// Every register Aims knows, in navigation order.
public enum Registers {
    public static let all: [any RegisterRecord.Type] = [
        ScopeStatement.self, ContextIssue.self, InterestedParty.self, RiskCriteria.self, SoAEntry.self,
    ]

    public static func type(forKind kind: String) -> (any RegisterRecord.Type)? { all.first { $0.spec.kind == kind } }
    public static func type(forPath path: String) -> (any RegisterRecord.Type)? { all.first { $0.spec.path == path } }
}
